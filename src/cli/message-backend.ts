/**
 * What `firebreak message …` needs, written once: the application on a local database
 * here, the HTTP API (`--server`) in remote-backend.ts. Both answer with the shapes of
 * src/http/messages/schema.ts, so the commands print the same either way.
 */
import type { FirebreakApp } from '../app/firebreak-app.js';
import type { ComposedMessage, ComposeInput, PlanMessage } from '../app/messages/message-service.js';
import type { DeliveryRecord } from '../integrations/delivery/delivery-service.js';

export interface MessageBackend {
  preview(incidentId: string, input: ComposeInput): Promise<ComposedMessage>;
  send(incidentId: string, input: ComposeInput, actor: string): Promise<PlanMessage>;
  approve(messageId: string, actor: string): Promise<PlanMessage>;
  reject(messageId: string, actor: string, reason: string): Promise<PlanMessage>;
  list(incidentId: string): Promise<PlanMessage[]>;
  deliveries(incidentId: string): Promise<DeliveryRecord[]>;
  close(): Promise<void>;
}

/** The application on a local database; `actor` is whoever `--by`/`--as` names. Deliveries leave when a server runs. */
export class LocalMessageBackend implements MessageBackend {
  constructor(private readonly app: FirebreakApp) {}

  preview(incidentId: string, input: ComposeInput) {
    return this.app.messages.compose(incidentId, input);
  }

  send(incidentId: string, input: ComposeInput, actor: string) {
    return this.app.messages.send(incidentId, input, actor);
  }

  approve(messageId: string, actor: string) {
    return this.app.messages.approve(messageId, actor);
  }

  reject(messageId: string, actor: string, reason: string) {
    return this.app.messages.reject(messageId, actor, reason);
  }

  list(incidentId: string) {
    return this.app.messages.list(incidentId);
  }

  deliveries(incidentId: string) {
    return this.app.deliveries.list({ incidentId });
  }

  close() {
    return this.app.close();
  }
}
