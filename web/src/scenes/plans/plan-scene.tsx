/**
 * One plan, read as its team would: severities with their response times, roles and
 * duties, phases with their checklists (required items, owners, due offsets), clocks
 * and regulatory deadlines, and the message templates as written.
 */
import { Accordion, Badge, Card, Code, Group, List, SimpleGrid, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { usePlan } from '../../api/queries.js';
import type { Plan } from '../../api/types.js';
import { ErrorBlock, LoadingBlock } from '../../components/query-state.js';
import { RouterLink } from '../../components/router-link.js';

function SeveritiesTable({ plan }: { plan: Plan }) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped verticalSpacing="sm" aria-label="Severities">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Severity</Table.Th>
            <Table.Th>Description</Table.Th>
            <Table.Th>Acknowledge</Table.Th>
            <Table.Th>Respond</Table.Th>
            <Table.Th>Sitrep</Table.Th>
            <Table.Th>Disruption</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {plan.severities.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>
                <Text fw={600} size="sm">
                  {s.name}
                </Text>
                <Text size="xs" c="dimmed" ff="monospace">
                  {s.id}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{s.description}</Text>
                {s.examples.length > 0 && (
                  <List size="xs" c="dimmed" mt={4}>
                    {s.examples.map((example) => (
                      <List.Item key={example}>{example}</List.Item>
                    ))}
                  </List>
                )}
              </Table.Td>
              <Table.Td>{s.ackWithin}</Table.Td>
              <Table.Td>{s.respondWithin}</Table.Td>
              <Table.Td>{s.sitrepEvery ?? '—'}</Table.Td>
              <Table.Td>
                <Text size="xs">{s.disruption ?? '—'}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Roles({ plan }: { plan: Plan }) {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      {plan.roles.map((role) => (
        <Card key={role.id}>
          <Group gap="xs" mb="xs">
            <Text fw={650}>{role.name}</Text>
            {role.commander && <Badge size="sm">Leads the response</Badge>}
            {role.communications && (
              <Badge size="sm" color="grape" variant="light">
                Communications
              </Badge>
            )}
            {role.requiredFrom && (
              <Badge size="sm" color="red" variant="light">
                Required from {plan.severities.find((s) => s.id === role.requiredFrom)?.name ?? role.requiredFrom}
              </Badge>
            )}
          </Group>
          <List size="sm" spacing={4}>
            {role.duties.map((duty) => (
              <List.Item key={duty}>{duty}</List.Item>
            ))}
          </List>
        </Card>
      ))}
    </SimpleGrid>
  );
}

function Phases({ plan }: { plan: Plan }) {
  const roleName = (id: string | undefined) => (id ? (plan.roles.find((r) => r.id === id)?.name ?? id) : null);
  return (
    <Accordion multiple defaultValue={plan.phases.slice(0, 1).map((p) => p.id)} variant="separated">
      {plan.phases.map((phase, index) => (
        <Accordion.Item key={phase.id} value={phase.id}>
          <Accordion.Control>
            <Group gap="xs">
              <Badge circle variant="light">
                {index + 1}
              </Badge>
              <Text fw={600}>{phase.name}</Text>
              <Text size="xs" c="dimmed">
                {phase.checklist.length} items · {phase.checklist.filter((i) => i.required).length} required
              </Text>
            </Group>
          </Accordion.Control>
          <Accordion.Panel>
            {phase.description && (
              <Text size="sm" c="dimmed" mb="sm">
                {phase.description}
              </Text>
            )}
            <Stack gap={6}>
              {phase.checklist.map((item) => (
                <Group key={item.id} justify="space-between" wrap="nowrap" align="flex-start">
                  <Text size="sm">{item.text}</Text>
                  <Group gap={4} wrap="nowrap">
                    {item.required && (
                      <Badge size="xs" color="red" variant="light">
                        Required
                      </Badge>
                    )}
                    {item.role && (
                      <Badge size="xs" variant="outline" color="gray">
                        {roleName(item.role)}
                      </Badge>
                    )}
                    {item.due &&
                      Object.entries(item.due).map(([severity, due]) => (
                        <Badge key={severity} size="xs" color="blue" variant="light">
                          {severity === 'default' ? '' : `${severity}: `}
                          {due}
                        </Badge>
                      ))}
                  </Group>
                </Group>
              ))}
            </Stack>
          </Accordion.Panel>
        </Accordion.Item>
      ))}
    </Accordion>
  );
}

function Clocks({ plan }: { plan: Plan }) {
  const c = plan.clocks;
  const rows: [string, string | undefined][] = [
    ['Triage within', c.triageWithin],
    ['Escalate unacknowledged reports after', `${c.escalation.after} (to ${c.escalation.path.join(' → ')})`],
    ['Longest shift in a role', c.shiftMax],
    ['Retrospective due', `${c.retrospectiveDue} after ${c.retrospectiveFrom}`],
    ['Plan review', c.planReview],
    ['Tabletop exercise', c.tabletop],
    ['Contact verification', c.contactVerification],
  ];
  return (
    <Stack gap="lg">
      <Table aria-label="Clocks" verticalSpacing="xs">
        <Table.Tbody>
          {rows
            .filter(([, value]) => value)
            .map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th w="40%">{label}</Table.Th>
                <Table.Td>{value}</Table.Td>
              </Table.Tr>
            ))}
        </Table.Tbody>
      </Table>
      <div>
        <Title order={3} size="h5" mb="xs">
          Regulatory deadlines
        </Title>
        {plan.regulatory.length === 0 ? (
          <Text size="sm" c="dimmed">
            None in this plan.
          </Text>
        ) : (
          <Table aria-label="Regulatory deadlines" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Deadline</Table.Th>
                <Table.Th>Regulation</Table.Th>
                <Table.Th>Starts when</Table.Th>
                <Table.Th>Within</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {plan.regulatory.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{r.name}</Table.Td>
                  <Table.Td>{r.regulation}</Table.Td>
                  <Table.Td>{r.trigger}</Table.Td>
                  <Table.Td>{r.within}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </div>
    </Stack>
  );
}

function Templates({ plan }: { plan: Plan }) {
  return (
    <Stack gap="md">
      {Object.entries(plan.templates).map(([name, template]) => (
        <Card key={name}>
          <Group gap="xs" mb="xs">
            <Text fw={650} ff="monospace">
              {name}
            </Text>
            {template.audience && (
              <Badge size="sm" variant="light">
                to {plan.audiences.find((a) => a.id === template.audience)?.name ?? template.audience}
              </Badge>
            )}
            {template.reviewBeforeSend && (
              <Badge size="sm" color="orange" variant="light">
                Reviewed before sending
              </Badge>
            )}
          </Group>
          {template.subject && (
            <Text size="sm" mb={4}>
              Subject: <Code>{template.subject}</Code>
            </Text>
          )}
          <Code block>{template.body}</Code>
        </Card>
      ))}
    </Stack>
  );
}

export default function PlanScene({ id }: { id: string }) {
  const plan = usePlan(id);
  if (plan.isPending) return <LoadingBlock lines={8} label="Loading the plan" />;
  if (plan.isError) return <ErrorBlock error={plan.error} onRetry={() => void plan.refetch()} />;
  const p = plan.data;
  return (
    <Stack gap="lg">
      <RouterLink to="/plans" size="sm">
        ← All plans
      </RouterLink>
      <div>
        <Group gap="xs">
          <Title order={1} size="h2">
            {p.name}
          </Title>
          <Badge variant="light" color="gray">
            v{p.version}
          </Badge>
        </Group>
        <Text size="sm" c="dimmed" mt={4}>
          {p.description}
        </Text>
        {p.source && (
          <Text size="xs" c="dimmed" mt={4}>
            Source: {p.source} · time zone {p.timeZone}
          </Text>
        )}
      </div>
      <Tabs defaultValue="severities" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="severities">Severities</Tabs.Tab>
          <Tabs.Tab value="roles">Roles</Tabs.Tab>
          <Tabs.Tab value="phases">Phases & checklists</Tabs.Tab>
          <Tabs.Tab value="clocks">Clocks</Tabs.Tab>
          <Tabs.Tab value="templates">Templates</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="severities">
          <SeveritiesTable plan={p} />
        </Tabs.Panel>
        <Tabs.Panel value="roles">
          <Roles plan={p} />
        </Tabs.Panel>
        <Tabs.Panel value="phases">
          <Phases plan={p} />
        </Tabs.Panel>
        <Tabs.Panel value="clocks">
          <Clocks plan={p} />
        </Tabs.Panel>
        <Tabs.Panel value="templates">
          <Templates plan={p} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
