/**
 * An alert as every detection source is reduced to it: the parsers in
 * `integrations/ingest/` turn Alertmanager, GitHub, SARIF and generic JSON bodies into
 * these, and de-duplication and routing work only on this shape.
 */

/** Where the alert points: a repository and file, a host, or a package. */
export interface AlertResource {
  readonly repository?: string;
  readonly path?: string;
  readonly host?: string;
  readonly package?: string;
}

export interface NormalisedAlert {
  /** The tool and feed it came from, e.g. `alertmanager`, `github:dependabot_alert`, `sarif:gitleaks`. */
  readonly source: string;
  /** The source's own stable id for this alert, when it has one. */
  readonly sourceId?: string;
  /** The source's id for this delivery of the alert, so a retry is not counted twice. */
  readonly deliveryId?: string;
  /** The rule, check or advisory that fired (alertname, ruleId, GHSA id). */
  readonly rule: string;
  /** What makes two alerts "the same": see `fingerprint.ts`. */
  readonly fingerprint: string;
  readonly title: string;
  readonly summary: string;
  /** The source's own severity word (critical, high, error, warning…), lower-cased. */
  readonly severityLabel: string | null;
  readonly resource: AlertResource;
  readonly labels: Readonly<Record<string, string>>;
  readonly url: string | null;
  /** `resolved` when the source says the condition has cleared. */
  readonly state: 'firing' | 'resolved';
  /**
   * What the source sent for this alert (its parsed JSON). A new alert stores a short
   * excerpt of it with secrets removed; it is made only then, since in a storm almost
   * every alert is a repeat and the excerpt would be thrown away.
   */
  readonly raw: unknown;
}

/** What a parser gets out of one request body. */
export interface ParsedDelivery {
  readonly alerts: readonly NormalisedAlert[];
  /** The delivery's own id (GitHub's X-GitHub-Delivery), when the source sends one. */
  readonly deliveryId?: string;
  /** Set when the body is valid but carries nothing to ingest (e.g. a GitHub `ping`). */
  readonly ignored?: string;
}
