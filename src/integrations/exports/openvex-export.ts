/**
 * OpenVEX (https://github.com/openvex/spec, v0.2.0) for the VEX register: one statement
 * per product version and vulnerability. Products are identified by package URL; a plain
 * product name becomes `pkg:generic/<name>@<version>`.
 */
import type { VexStatement } from '../../domain/vex/vex-statement.js';

export const OPENVEX_CONTEXT = 'https://openvex.dev/ns/v0.2.0';

export function productPurl(product: string, version: string): string {
  if (product.startsWith('pkg:')) return `${product}@${encodeURIComponent(version)}`;
  return `pkg:generic/${encodeURIComponent(product)}@${encodeURIComponent(version)}`;
}

export function toOpenVex(statements: readonly VexStatement[], meta: { id: string; author: string; timestamp: string; version?: number }): Record<string, unknown> {
  return {
    '@context': OPENVEX_CONTEXT,
    '@id': meta.id,
    author: meta.author,
    timestamp: meta.timestamp,
    version: meta.version ?? 1,
    statements: statements.map((s) => ({
      vulnerability: { name: s.vulnerability },
      timestamp: s.recordedAt,
      products: [{ '@id': productPurl(s.product, s.version) }],
      status: s.status,
      ...(s.justification ? { justification: s.justification } : {}),
      ...(s.impactStatement ? { impact_statement: s.impactStatement } : {}),
      ...(s.actionStatement ? { action_statement: s.actionStatement } : {}),
    })),
  };
}
