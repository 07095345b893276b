/** The plans the server runs, so a team can see which rules an incident will follow. */
import { Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { MouseEvent } from 'react';
import { usePlans } from '../../api/queries.js';
import { EmptyBlock, ErrorBlock, LoadingBlock } from '../../components/query-state.js';
import { handleLinkClick } from '../../components/router-link.js';

export default function PlansScene() {
  const plans = usePlans();
  return (
    <Stack gap="lg">
      <div>
        <Title order={1} size="h2">
          Response plans
        </Title>
        <Text c="dimmed" size="sm">
          Every incident runs under one of these plans: its severities, roles, phases, clocks and templates.
        </Text>
      </div>
      {plans.isPending ? (
        <LoadingBlock lines={6} />
      ) : plans.isError ? (
        <ErrorBlock error={plans.error} onRetry={() => void plans.refetch()} />
      ) : plans.data.length === 0 ? (
        <EmptyBlock title="No plans loaded" description="Add a plan file to the server's plan directory." />
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {plans.data.map((plan) => {
            const to = `/plans/${encodeURIComponent(plan.id)}`;
            return (
              <Card key={plan.id} component="a" href={to} className="fb-row-link fb-incident-row" onClick={(event: MouseEvent<HTMLAnchorElement>) => handleLinkClick(event, to)}>
                <Stack gap="xs">
                  <Group justify="space-between" wrap="nowrap">
                    <Text fw={650} className="fb-row-title">
                      {plan.name}
                    </Text>
                    <Badge variant="light" color="gray">
                      v{plan.version}
                    </Badge>
                  </Group>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {plan.id}
                  </Text>
                  <Text size="sm" c="dimmed" lineClamp={3}>
                    {plan.description}
                  </Text>
                  <Group gap={4}>
                    {plan.severities.map((s) => (
                      <Badge key={s.id} size="sm" variant="outline" color="gray">
                        {s.name}
                      </Badge>
                    ))}
                  </Group>
                </Stack>
              </Card>
            );
          })}
        </SimpleGrid>
      )}
    </Stack>
  );
}
