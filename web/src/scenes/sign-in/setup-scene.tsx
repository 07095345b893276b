/**
 * First run: no account exists yet, so the first person creates the administrator
 * account (then is signed in with it).
 */
import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, request, setCsrfToken } from '../../api/client.js';
import { queryKeys } from '../../api/queries.js';
import type { User } from '../../api/types.js';
import { errorText } from '../../components/query-state.js';
import { AuthLayout } from './auth-layout.js';

function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  return Object.fromEntries((error.problem.fields ?? []).map((f) => [f.path.replace(/^body\./, ''), f.message]));
}

export function SetupScene() {
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: '', email: '', handle: '', password: '', confirm: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fields = fieldErrors(error);
  const mismatch = form.confirm !== '' && form.confirm !== form.password;
  const set = (key: keyof typeof form) => (event: { currentTarget: { value: string } }) => setForm({ ...form, [key]: event.currentTarget.value });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (mismatch) return;
    setBusy(true);
    setError(null);
    try {
      const body = { name: form.name.trim(), email: form.email.trim(), handle: form.handle.trim(), password: form.password };
      await request<unknown>('/auth/setup', { method: 'POST', body });
      const login = await request<{ user: User; csrfToken: string }>('/auth/login', { method: 'POST', body: { email: body.email, password: body.password } });
      setCsrfToken(login.csrfToken);
      await queryClient.invalidateQueries({ queryKey: queryKeys.session });
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  return (
    <AuthLayout title="Set up Firebreak" subtitle="No account exists yet. Create the administrator account; you can invite your team afterwards.">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {error !== null && (
            <Alert color="red" variant="light" role="alert" title="Could not create the account">
              {errorText(error)}
            </Alert>
          )}
          <TextInput label="Full name" required autoComplete="name" value={form.name} onChange={set('name')} error={fields['name']} />
          <TextInput label="E-mail" type="email" required autoComplete="email" value={form.email} onChange={set('email')} error={fields['email']} />
          <TextInput
            label="Handle"
            description="The name recorded in incident logs, e.g. alice"
            required
            autoComplete="username"
            value={form.handle}
            onChange={set('handle')}
            error={fields['handle']}
          />
          <PasswordInput label="Password" required autoComplete="new-password" value={form.password} onChange={set('password')} error={fields['password']} />
          <PasswordInput
            label="Repeat the password"
            required
            autoComplete="new-password"
            value={form.confirm}
            onChange={set('confirm')}
            error={mismatch ? 'The passwords differ' : undefined}
          />
          <Button type="submit" loading={busy} fullWidth>
            Create administrator
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
