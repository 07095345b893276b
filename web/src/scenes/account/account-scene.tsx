/**
 * Your sessions and API tokens (account menu → "Sessions and tokens"): where you are
 * signed in, which tokens can act as you, and a way to end any of them — or all at once
 * when a laptop is lost or a token may have leaked.
 */
import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { request } from '../../api/client.js';
import { queryKeys } from '../../api/queries.js';
import type { ApiTokenInfo, Page, SessionInfo } from '../../api/types.js';
import { EmptyBlock, ErrorBlock, errorText, LoadingBlock } from '../../components/query-state.js';
import { Timestamp } from '../../components/timestamp.js';
import { navigate } from '../../hooks/use-route.js';

const sessionsKey = ['account', 'sessions'] as const;
const tokensKey = ['account', 'tokens'] as const;

export default function AccountScene() {
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: sessionsKey, queryFn: () => request<Page<SessionInfo>>('/auth/sessions').then((p) => p.items) });
  const tokens = useQuery({ queryKey: tokensKey, queryFn: () => request<Page<ApiTokenInfo>>('/tokens').then((p) => p.items) });
  const [problem, setProblem] = useState<string | null>(null);

  const act = async (work: () => Promise<unknown>) => {
    setProblem(null);
    try {
      await work();
      await queryClient.invalidateQueries({ queryKey: ['account'] });
    } catch (error) {
      setProblem(errorText(error));
    }
  };
  const signOutEverywhere = () =>
    act(async () => {
      await request('/auth/sign-out-everywhere', { method: 'POST' });
      queryClient.clear();
      navigate('/', { replace: true });
      await queryClient.invalidateQueries({ queryKey: queryKeys.session });
    });

  const liveTokens = tokens.data?.filter((t) => t.revokedAt === null) ?? [];
  return (
    <Stack gap="lg">
      <div>
        <Title order={1} size="h2">
          Sessions and tokens
        </Title>
        <Text c="dimmed" size="sm">
          Everywhere you are signed in, and every API token that can act as you. End what you do not recognise.
        </Text>
      </div>
      {problem && (
        <Alert color="red" title="That did not work" role="alert">
          {problem}
        </Alert>
      )}

      <Stack gap="xs" component="section" aria-labelledby="sessions-heading">
        <Title order={2} size="h4" id="sessions-heading">
          Browser sessions
        </Title>
        {sessions.isPending ? (
          <LoadingBlock lines={2} />
        ) : sessions.isError ? (
          <ErrorBlock error={sessions.error} onRetry={() => void sessions.refetch()} />
        ) : (
          sessions.data.map((s) => (
            <Card key={s.id} withBorder padding="sm">
              <Group justify="space-between" wrap="wrap" gap="xs">
                <Stack gap={2}>
                  <Group gap="xs">
                    <Text fw={600}>Signed in</Text>
                    <Timestamp iso={s.createdAt} showAbsolute size="sm" />
                    {s.current && <Badge variant="light">This browser</Badge>}
                  </Group>
                  <Text size="xs" c="dimmed">
                    Ends by itself <Timestamp iso={s.expiresAt} showAbsolute size="xs" />
                  </Text>
                </Stack>
                {!s.current && (
                  <Button variant="light" color="red" size="xs" onClick={() => void act(() => request(`/auth/sessions/${encodeURIComponent(s.id)}`, { method: 'DELETE' }))}>
                    End this session
                  </Button>
                )}
              </Group>
            </Card>
          ))
        )}
      </Stack>

      <Stack gap="xs" component="section" aria-labelledby="tokens-heading">
        <Title order={2} size="h4" id="tokens-heading">
          API tokens
        </Title>
        {tokens.isPending ? (
          <LoadingBlock lines={2} />
        ) : tokens.isError ? (
          <ErrorBlock error={tokens.error} onRetry={() => void tokens.refetch()} />
        ) : liveTokens.length === 0 ? (
          <EmptyBlock title="No API tokens" description="The CLI makes one when you run firebreak login." />
        ) : (
          liveTokens.map((t) => (
            <Card key={t.id} withBorder padding="sm">
              <Group justify="space-between" wrap="wrap" gap="xs">
                <Stack gap={2}>
                  <Group gap="xs">
                    <Text fw={600}>{t.name}</Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {t.prefix}…
                    </Text>
                  </Group>
                  <Text size="xs" c="dimmed">
                    Made <Timestamp iso={t.createdAt} showAbsolute size="xs" /> · last used{' '}
                    {t.lastUsedAt ? <Timestamp iso={t.lastUsedAt} size="xs" /> : 'never'} ·{' '}
                    {t.expiresAt ? (
                      <>
                        expires <Timestamp iso={t.expiresAt} showAbsolute size="xs" />
                      </>
                    ) : (
                      'never expires'
                    )}
                  </Text>
                </Stack>
                <Button variant="light" color="red" size="xs" onClick={() => void act(() => request(`/tokens/${encodeURIComponent(t.id)}`, { method: 'DELETE' }))}>
                  Revoke
                </Button>
              </Group>
            </Card>
          ))
        )}
      </Stack>

      <Card withBorder padding="md">
        <Stack gap="xs">
          <Text fw={600}>Sign out everywhere</Text>
          <Text size="sm" c="dimmed">
            Ends every session, this one included, and revokes every API token. Use it when a device is lost or a token may have leaked.
          </Text>
          <Group>
            <Button color="red" onClick={() => void signOutEverywhere()}>
              Sign out everywhere
            </Button>
          </Group>
        </Stack>
      </Card>
    </Stack>
  );
}
