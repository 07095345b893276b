/** The files each fixture advisory is exported to, and how each is rendered. */
import type { AdvisoryService, ExportFormat } from '../../src/app/advisory-service.js';

export const ADVISORY_FIXTURE_FILES = ['md', 'osv.json', 'csaf.json', 'csaf-vex.json', 'ghsa.json'] as const;

const FORMAT_OF: Record<(typeof ADVISORY_FIXTURE_FILES)[number], ExportFormat> = {
  md: 'md',
  'osv.json': 'osv',
  'csaf.json': 'csaf',
  'csaf-vex.json': 'csaf-vex',
  'ghsa.json': 'ghsa',
};

export async function renderFixtureFiles(advisories: AdvisoryService, advisoryId: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const file of ADVISORY_FIXTURE_FILES) files[file] = await advisories.export(advisoryId, FORMAT_OF[file]);
  return files;
}
