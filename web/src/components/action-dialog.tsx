/**
 * A small modal form for an action that needs a few words first (a reason, a briefing,
 * a new severity). Submitting runs the action; the dialog closes only when it succeeded,
 * so a refusal never loses what the user typed.
 */
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { type FormEvent, type ReactNode, useState } from 'react';

export function ActionDialog({
  opened,
  onClose,
  title,
  description,
  submitLabel,
  submitColor,
  canSubmit = true,
  onSubmit,
  children,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  description?: ReactNode;
  submitLabel: string;
  submitColor?: string;
  canSubmit?: boolean;
  /** Resolves to true when the action was accepted. */
  onSubmit: () => Promise<boolean>;
  children?: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!canSubmit || busy) return;
    setBusy(true);
    const ok = await onSubmit().finally(() => setBusy(false));
    if (ok) onClose();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={650}>{title}</Text>} centered size="lg">
      <form onSubmit={submit}>
        <Stack gap="md">
          {description && (
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          )}
          {children}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color={submitColor} loading={busy} disabled={!canSubmit}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
