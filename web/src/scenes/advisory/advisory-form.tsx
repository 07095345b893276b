/**
 * The advisory's content as a form: every field the server accepts, lists as rows one
 * can add and remove, the CVSS builders, and beside each field what publishing still
 * needs (the server's `missingForPublish`) or what the server refused on save. Saving
 * sends only the changed fields with `If-Match`, so a concurrent edit is a 409, not lost.
 */
import { ActionIcon, Alert, Button, Card, Checkbox, Group, Select, SimpleGrid, Stack, TagsInput, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { ApiError, request } from '../../api/client.js';
import { advisoryPath, queryKeys } from '../../api/queries.js';
import type { AdvisoryContent, AdvisoryView, Ecosystem } from '../../api/types.js';
import { errorText } from '../../components/query-state.js';
import { contentChanges, ECOSYSTEMS, problemsAt, REFERENCE_TYPES, rebase } from './advisory-changes.js';
import { CvssBuilder } from './cvss-builder.js';

type CveMode = 'assigned' | 'reserved' | 'none' | 'unset';

function cveMode(cve: string | undefined): CveMode {
  if (cve === undefined) return 'unset';
  if (cve === 'reserved' || cve === 'none') return cve;
  return 'assigned';
}

function Section({ title, children, error }: { title: string; children: ReactNode; error?: string | undefined }) {
  return (
    <Card withBorder component="section" aria-label={title}>
      <Title order={3} size="h6" mb="xs">
        {title}
      </Title>
      {error && (
        <Text size="sm" c="red" mb="xs" data-testid="field-problem">
          {error}
        </Text>
      )}
      <Stack gap="xs">{children}</Stack>
    </Card>
  );
}

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <ActionIcon variant="subtle" color="gray" aria-label={label} onClick={onClick} mb={4}>
      ×
    </ActionIcon>
  );
}

export function AdvisoryForm({ view, canWrite = true, onSaved }: { view: AdvisoryView; canWrite?: boolean; onSaved?: () => void }) {
  const queryClient = useQueryClient();
  // `base` is the content the user's edits started from; `content` is what the form shows.
  const [base, setBase] = useState<AdvisoryContent>(view.content);
  const [content, setContent] = useState<AdvisoryContent>(view.content);
  const [conflicts, setConflicts] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<ApiError | Error | null>(null);
  const changes = useMemo(() => contentChanges(base, content), [base, content]);

  // Someone else saved (seen on refetch or after a 409): carry the user's edits over.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new server version rebases the form, not each keystroke
  useEffect(() => {
    if (view.content === base) return;
    const next = rebase(base, content, view.content);
    setBase(view.content);
    setContent(next.content);
    if (next.conflicts.length > 0) setConflicts(next.conflicts);
  }, [view.content]);
  const dirty = Object.keys(changes).length > 0;
  const locked = view.status === 'scheduled';

  // Inline problems: the server's refusal of the last save first, then what publishing needs.
  const problems = useMemo(() => {
    const map = new Map<string, string>();
    if (failure instanceof ApiError) for (const f of failure.problem.fields ?? []) map.set(f.path, f.message);
    for (const m of view.missingForPublish) if (!map.has(m.field)) map.set(m.field, `Needed to publish: ${m.problem}`);
    return map;
  }, [failure, view.missingForPublish]);
  const at = (field: string) => problemsAt(problems, field);

  const set = <K extends keyof AdvisoryContent>(key: K, value: AdvisoryContent[K]) => setContent((c) => ({ ...c, [key]: value }));
  const setRow = <K extends 'cwes' | 'packages' | 'references'>(key: K, index: number, patch: Partial<AdvisoryContent[K][number]>) =>
    setContent((c) => ({ ...c, [key]: c[key].map((row, i) => (i === index ? { ...row, ...patch } : row)) }));
  const removeRow = (key: 'cwes' | 'packages' | 'references', index: number) => setContent((c) => ({ ...c, [key]: c[key].filter((_, i) => i !== index) }));

  const save = async () => {
    setSaving(true);
    setFailure(null);
    try {
      const updated = await request<AdvisoryView>(advisoryPath(view.id), { method: 'PATCH', body: { changes }, ifMatch: view.version });
      setBase(updated.content);
      setContent(updated.content);
      setConflicts([]);
      queryClient.setQueryData(queryKeys.advisory(view.id), updated);
      void queryClient.invalidateQueries({ queryKey: queryKeys.advisories() });
      onSaved?.();
    } catch (error) {
      setFailure(error instanceof Error ? error : new Error(String(error)));
      if (error instanceof ApiError && error.status === 409) void queryClient.invalidateQueries({ queryKey: queryKeys.advisory(view.id) });
    } finally {
      setSaving(false);
    }
  };

  const mode = cveMode(content.cve);
  const credit = content.credit ?? { consent: false };

  return (
    // A native disabled fieldset makes every field and button read-only for viewers.
    <fieldset disabled={!canWrite} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
      <Stack gap="md" data-testid="advisory-form">
        {locked && (
          <Alert color="blue" variant="light">
            A revision is scheduled; publish it (or wait for its date) before editing again.
          </Alert>
        )}
        <Section title="Description">
          <TextInput label="Title" required value={content.title} onChange={(e) => set('title', e.currentTarget.value)} error={at('title')} />
          <Textarea label="Summary" autosize minRows={2} value={content.summary ?? ''} onChange={(e) => set('summary', e.currentTarget.value)} error={at('summary')} />
          <Textarea label="Impact" autosize minRows={2} value={content.impact ?? ''} onChange={(e) => set('impact', e.currentTarget.value)} error={at('impact')} />
          <TagsInput label="Affected components" description="Press Enter after each." value={[...content.components]} onChange={(v) => set('components', v)} error={at('components')} />
        </Section>

        <Section title="Weakness (CWE)" error={at('cwes')}>
          {content.cwes.map((cwe, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place and have no id of their own
            <Group key={i} align="flex-end" gap="xs" wrap="nowrap">
              <TextInput label="CWE id" placeholder="CWE-79" w={140} value={cwe.id} onChange={(e) => setRow('cwes', i, { id: e.currentTarget.value })} />
              <TextInput label="CWE name" placeholder="Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')" style={{ flex: 1 }} value={cwe.name ?? ''} onChange={(e) => setRow('cwes', i, { name: e.currentTarget.value })} />
              <RemoveButton label={`Remove CWE ${i + 1}`} onClick={() => removeRow('cwes', i)} />
            </Group>
          ))}
          <Button variant="light" size="xs" w="fit-content" onClick={() => set('cwes', [...content.cwes, { id: '' }])}>
            Add CWE
          </Button>
        </Section>

        <Section title="Severity (CVSS)" error={at('cvss')}>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <CvssBuilder version="3.1" value={content.cvssV3} onChange={(v) => set('cvssV3', v)} />
            <CvssBuilder version="4.0" value={content.cvssV4} onChange={(v) => set('cvssV4', v)} />
          </SimpleGrid>
          {(at('cvssV3') || at('cvssV4')) && (
            <Text size="sm" c="red">
              {[at('cvssV3'), at('cvssV4')].filter(Boolean).join('; ')}
            </Text>
          )}
        </Section>

        <Section title="CVE">
          <Group align="flex-end" gap="xs">
            <Select
              label="CVE status"
              w={220}
              allowDeselect={false}
              value={mode}
              onChange={(v) => set('cve', v === 'unset' ? undefined : v === 'assigned' ? (mode === 'assigned' ? content.cve : '') : (v ?? undefined))}
              data={[
                { value: 'unset', label: 'Not decided' },
                { value: 'reserved', label: 'Reserved (requested)' },
                { value: 'assigned', label: 'Assigned' },
                { value: 'none', label: 'Not requesting one' },
              ]}
            />
            {mode === 'assigned' && <TextInput label="CVE id" placeholder="CVE-2026-12345" value={content.cve ?? ''} onChange={(e) => set('cve', e.currentTarget.value)} />}
          </Group>
          {at('cve') && (
            <Text size="sm" c="red">
              {at('cve')}
            </Text>
          )}
        </Section>

        <Section title="Affected and fixed versions" error={at('packages')}>
          {content.packages.map((pkg, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place and have no id of their own
            <Group key={i} align="flex-end" gap="xs" wrap="nowrap" data-testid="package-row">
              <Select label="Ecosystem" w={150} allowDeselect={false} data={[...ECOSYSTEMS]} value={pkg.ecosystem} onChange={(v) => setRow('packages', i, { ecosystem: (v ?? 'generic') as Ecosystem })} />
              <TextInput label="Package" style={{ flex: 2 }} value={pkg.name} onChange={(e) => setRow('packages', i, { name: e.currentTarget.value })} />
              <TextInput label="Introduced" description='"0" = all before fixed' style={{ flex: 1 }} value={pkg.introduced} onChange={(e) => setRow('packages', i, { introduced: e.currentTarget.value })} />
              <TextInput label="Fixed" style={{ flex: 1 }} value={pkg.fixed ?? ''} onChange={(e) => setRow('packages', i, { fixed: e.currentTarget.value })} />
              <TextInput label="Last affected" description="when no fix yet" style={{ flex: 1 }} value={pkg.lastAffected ?? ''} onChange={(e) => setRow('packages', i, { lastAffected: e.currentTarget.value })} />
              <RemoveButton label={`Remove package ${i + 1}`} onClick={() => removeRow('packages', i)} />
            </Group>
          ))}
          <Button variant="light" size="xs" w="fit-content" onClick={() => set('packages', [...content.packages, { ecosystem: 'npm', name: '', introduced: '0' }])}>
            Add package
          </Button>
        </Section>

        <Section title="Remedy">
          <Textarea label="Mitigation" description="What users can do before they can upgrade." autosize minRows={2} value={content.mitigation ?? ''} onChange={(e) => set('mitigation', e.currentTarget.value)} error={at('mitigation')} />
          <Textarea label="Resolution" description="The fix: which versions to upgrade to." autosize minRows={2} value={content.resolution ?? ''} onChange={(e) => set('resolution', e.currentTarget.value)} error={at('resolution')} />
          <Group grow>
            <TextInput label="Fixed on (optional)" description="YYYY-MM-DD, when the log does not show it" value={content.fixedAt ?? ''} onChange={(e) => set('fixedAt', e.currentTarget.value)} error={at('fixedAt')} />
            <TextInput label="Released on (optional)" description="YYYY-MM-DD, when the log does not show it" value={content.releasedAt ?? ''} onChange={(e) => set('releasedAt', e.currentTarget.value)} error={at('releasedAt')} />
          </Group>
        </Section>

        <Section title="Credit" error={at('credit')}>
          <Checkbox
            label="The reporter agreed to be credited by name"
            description="Without consent nobody is credited; an anonymous reporter never is."
            checked={credit.consent}
            onChange={(e) => set('credit', { ...credit, consent: e.currentTarget.checked })}
          />
          <TextInput label="Name to credit" description="Leave empty to use the reporter's name." disabled={!credit.consent} value={credit.name ?? ''} onChange={(e) => set('credit', { ...credit, name: e.currentTarget.value })} />
        </Section>

        <Section title="References" error={at('references')}>
          {content.references.map((ref, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place and have no id of their own
            <Group key={i} align="flex-end" gap="xs" wrap="nowrap">
              <TextInput label="URL" style={{ flex: 1 }} value={ref.url} onChange={(e) => setRow('references', i, { url: e.currentTarget.value })} />
              <Select label="Type" w={150} allowDeselect={false} data={[...REFERENCE_TYPES]} value={ref.type} onChange={(v) => setRow('references', i, { type: (v ?? 'WEB') as (typeof REFERENCE_TYPES)[number] })} />
              <RemoveButton label={`Remove reference ${i + 1}`} onClick={() => removeRow('references', i)} />
            </Group>
          ))}
          <Button variant="light" size="xs" w="fit-content" onClick={() => set('references', [...content.references, { url: '', type: 'WEB' }])}>
            Add reference
          </Button>
        </Section>

        {conflicts.length > 0 && (
          <Alert color="orange" variant="light" title="Someone else changed fields you are editing" withCloseButton closeButtonLabel="Dismiss" onClose={() => setConflicts([])} data-testid="edit-conflicts">
            {conflicts.join(', ')}: saving keeps your values there. Their other changes are already in the form.
          </Alert>
        )}
        {failure && (
          <Alert color="red" variant="light" role="alert" title="The advisory was not saved" data-testid="save-failure">
            {errorText(failure)}
            {failure instanceof ApiError && failure.status === 409 && ' The form now holds the latest version with your edits on top. Check them and save again.'}
          </Alert>
        )}
        <Group justify="flex-end" pos="sticky" bottom={0} py="sm" style={{ background: 'var(--mantine-color-body)', zIndex: 2 }}>
          {dirty && (
            <Text size="sm" c="dimmed">
              Unsaved changes: {Object.keys(changes).join(', ')}
            </Text>
          )}
          <Button
            variant="default"
            disabled={!dirty || saving}
            onClick={() => {
              setContent(base);
              setConflicts([]);
            }}
          >
            Discard changes
          </Button>
          <Button onClick={() => void save()} loading={saving} disabled={!dirty || locked}>
            Save changes
          </Button>
        </Group>
      </Stack>
    </fieldset>
  );
}
