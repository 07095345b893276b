/** One plain sentence per event, for timelines, reports and templates. */
import type { IncidentEventEnvelope } from './events.js';

export function describeEvent(event: IncidentEventEnvelope): string {
  const who = event.actor;
  switch (event.type) {
    case 'reported': {
      const reporter = event.data.reporter.anonymous ? 'an anonymous reporter' : event.data.reporter.name;
      return `Reported by ${reporter}: ${event.data.title}`;
    }
    case 'declared':
      return `${who} confirmed it as an incident, severity ${event.data.severity}${event.data.category ? `, category ${event.data.category}` : ''}`;
    case 'dismissed':
      return `${who} dismissed it as a false alarm: ${event.data.reason}`;
    case 'acknowledged':
      return `${event.data.by} acknowledged`;
    case 'severity_changed':
      return `${who} changed severity ${event.data.from || 'unknown'} → ${event.data.to}: ${event.data.reason}`;
    case 'role_assigned':
      return `${who} assigned ${event.data.role} to ${event.data.to}`;
    case 'handoff_initiated':
      return `${event.data.from} began handing ${event.data.role} to ${event.data.to}`;
    case 'handoff_confirmed':
      return `${event.data.to} took over ${event.data.role} from ${event.data.from}`;
    case 'handoff_cancelled':
      return `${who} cancelled the handoff of ${event.data.role}: ${event.data.reason}`;
    case 'phase_entered':
      return event.data.forced
        ? `${who} moved to phase ${event.data.phase}, overriding open items (${event.data.forced.openItems.join(', ')}): ${event.data.forced.reason}`
        : `${who} moved to phase ${event.data.phase}`;
    case 'checklist_item_completed':
      return `${who} completed ${event.data.item}`;
    case 'note_added':
      return `${who} added a note`;
    case 'sitrep_posted':
      return `${who} posted a situation report`;
    case 'flag_set':
      return `${who} flagged ${event.data.flag}`;
    case 'regulatory_filed':
      return `${who} filed ${event.data.clock}${event.data.reference ? ` (${event.data.reference})` : ''}`;
    case 'member_added':
      return `${who} added ${event.data.user} to the incident`;
    case 'member_removed':
      return `${who} removed ${event.data.user} from the incident`;
    case 'restriction_changed':
      return `${who} ${event.data.restricted ? 'restricted the incident to its members' : 'opened the incident to all responders'}: ${event.data.reason}`;
    case 'resolved':
      return `${who} resolved the incident`;
    case 'closed':
      return `${who} closed the incident`;
    case 'reopened':
      return `${who} reopened it: ${event.data.reason}`;
    case 'evidence_added':
      return `${who} added ${event.data.kind} evidence ${event.data.evidenceId} from ${event.data.source}: ${event.data.description}`;
    case 'evidence_accessed': {
      const verb = { view: 'viewed', download: 'downloaded', export: 'exported' }[event.data.action];
      return `${who} ${verb} evidence ${event.data.evidenceId}${event.data.purpose ? ` (${event.data.purpose})` : ''}`;
    }
    case 'evidence_transferred':
      return `${event.data.from} transferred custody of evidence ${event.data.evidenceId} to ${event.data.to}: ${event.data.reason}`;
    case 'review_completed':
      return `${who} completed the post-incident review`;
    case 'advisory_drafted':
      return `${who} drafted advisory ${event.data.advisoryId}: ${event.data.title}`;
    case 'advisory_published':
      return event.data.embargoed
        ? `${who} scheduled advisory ${event.data.advisoryId} (revision ${event.data.revision}) for release at ${event.data.releaseAt}`
        : `${who} published advisory ${event.data.advisoryId} (revision ${event.data.revision})`;
    case 'clock_fired': {
      const told = event.data.notified.length > 0 ? `; notified ${event.data.notified.join(', ')}` : '; nobody to notify';
      const level = event.data.level !== undefined ? ` (escalation level ${event.data.level})` : '';
      return `Deadline ${event.data.clock} passed${level}${event.data.late ? ', fired late' : ''}${told}`;
    }
    case 'regulatory_draft_edited':
      return `${who} edited the report draft of ${event.data.clock} (${Object.keys(event.data.fields).join(', ')})`;
    case 'regulatory_draft_reviewed':
      return `${who} ${event.data.decision} revision ${event.data.revision} of the report draft of ${event.data.clock}${event.data.reportSha256 ? ` (SHA-256 ${event.data.reportSha256.slice(0, 12)})` : ''}${event.data.note ? `: ${event.data.note}` : ''}`;
    case 'message_submitted':
      return `${who} ${event.data.review ? 'put in review' : 'sent'} the ${event.data.template} ${event.data.subject ? `"${event.data.subject}" ` : ''}to ${event.data.audience}`;
    case 'message_approved':
      return `${who} approved message ${event.data.message.slice(0, 8)} (${event.data.approvals} of ${event.data.needed})${event.data.approvals >= event.data.needed ? '; it is sent' : ''}`;
    case 'message_rejected':
      return `${who} rejected message ${event.data.message.slice(0, 8)}: ${event.data.reason}`;
    case 'message_sent':
      return `Sent ${event.data.subject ? `"${event.data.subject}" ` : ''}to ${event.data.recipient} by ${event.data.channel}`;
    default: {
      const unknown: never = event;
      return `unknown event ${JSON.stringify(unknown)}`;
    }
  }
}
