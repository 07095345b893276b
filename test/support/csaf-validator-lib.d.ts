/** Types for the parts of @secvisogram/csaf-validator-lib the tests use (it ships none). */
declare module '@secvisogram/csaf-validator-lib/validateStrict.js' {
  type Message = { message: string; instancePath: string };
  type TestResult = { isValid?: boolean; errors?: Message[]; warnings?: Message[]; infos?: Message[] };
  export type DocumentTest = (doc: unknown) => TestResult | Promise<TestResult>;
  export default function validateStrict(
    tests: DocumentTest[],
    doc: unknown,
  ): Promise<{ isValid: boolean; tests: { name: string; isValid: boolean; errors: Message[]; warnings: Message[]; infos: Message[] }[] }>;
}
declare module '@secvisogram/csaf-validator-lib/mandatoryTests.js' {
  import type { DocumentTest } from '@secvisogram/csaf-validator-lib/validateStrict.js';
  const tests: Record<string, DocumentTest>;
  export = tests;
}
declare module '@secvisogram/csaf-validator-lib/schemaTests.js' {
  import type { DocumentTest } from '@secvisogram/csaf-validator-lib/validateStrict.js';
  export const csaf_2_0_strict: DocumentTest;
  export const csaf_2_0: DocumentTest;
}
