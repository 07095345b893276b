/** The centred card that the sign-in and first-run screens share. */
import { Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { FlameIcon } from '../../components/icons.js';
import { ThemeToggle } from '../../components/theme-toggle.js';

export function AuthLayout({ title, subtitle, children }: { title: string; subtitle: string; children: ReactNode }) {
  return (
    <Center mih="100vh" p="md" component="main">
      <Stack w="100%" maw={420} gap="lg">
        <Group justify="space-between">
          <Group gap={8}>
            <FlameIcon size={28} color="var(--mantine-color-red-6)" />
            <Text fw={750} size="xl">
              Firebreak
            </Text>
          </Group>
          <ThemeToggle />
        </Group>
        <Paper withBorder shadow="sm" p="xl">
          <Title order={1} size="h3">
            {title}
          </Title>
          <Text c="dimmed" size="sm" mt={4} mb="lg">
            {subtitle}
          </Text>
          {children}
        </Paper>
      </Stack>
    </Center>
  );
}
