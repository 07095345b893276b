/**
 * Sign-in: e-mail and password against the local accounts, and "Sign in with SSO" when
 * the server has an OpenID Connect provider configured.
 */
import { Alert, Button, Divider, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { API_BASE, request, setCsrfToken } from '../../api/client.js';
import { queryKeys } from '../../api/queries.js';
import type { Session, User } from '../../api/types.js';
import { errorText } from '../../components/query-state.js';
import { AuthLayout } from './auth-layout.js';

export function SignInScene({ oidc }: { oidc: Session['oidc'] }) {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await request<{ user: User; csrfToken: string }>('/auth/login', { method: 'POST', body: { email: email.trim(), password } });
      setCsrfToken(result.csrfToken);
      await queryClient.invalidateQueries({ queryKey: queryKeys.session });
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  };

  return (
    <AuthLayout title="Sign in" subtitle="The incident room for your team's response plan.">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {error && (
            <Alert color="red" variant="light" role="alert" title="Could not sign in">
              {error}
            </Alert>
          )}
          <TextInput label="E-mail" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} data-autofocus autoFocus />
          <PasswordInput label="Password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <Button type="submit" loading={busy} fullWidth>
            Sign in
          </Button>
          {oidc.enabled && (
            <>
              <Divider label="or" labelPosition="center" />
              <Button component="a" href={`${API_BASE}/auth/oidc/start`} variant="default" fullWidth>
                Sign in with {oidc.name ?? 'SSO'}
              </Button>
            </>
          )}
        </Stack>
      </form>
    </AuthLayout>
  );
}
