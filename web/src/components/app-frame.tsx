/**
 * The frame around every signed-in page: brand, navigation, the one-click "Report an
 * event" button, the theme switch and the user menu. Also a skip link for keyboards.
 */
import { AppShell, Avatar, Button, Container, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import type { MouseEvent, ReactNode } from 'react';
import { request } from '../api/client.js';
import { queryKeys } from '../api/queries.js';
import type { User } from '../api/types.js';
import { navigate, type Route } from '../hooks/use-route.js';
import { FlameIcon, PlusIcon } from './icons.js';
import { handleLinkClick } from './router-link.js';
import { ThemeToggle } from './theme-toggle.js';

function NavButton({ to, active, children }: { to: string; active: boolean; children: ReactNode }) {
  return (
    <Button
      component="a"
      href={to}
      variant={active ? 'light' : 'subtle'}
      color={active ? undefined : 'gray'}
      size="sm"
      aria-current={active ? 'page' : undefined}
      onClick={(event: MouseEvent<HTMLAnchorElement>) => handleLinkClick(event, to)}
    >
      {children}
    </Button>
  );
}

export function AppFrame({ user, route, children }: { user: User; route: Route; children: ReactNode }) {
  const queryClient = useQueryClient();
  const signOut = async () => {
    await request('/auth/logout', { method: 'POST' }).catch(() => undefined);
    queryClient.clear();
    navigate('/', { replace: true });
    await queryClient.invalidateQueries({ queryKey: queryKeys.session });
  };
  return (
    <AppShell header={{ height: 60 }} padding="md">
      <a className="fb-skip-link" href="#main">
        Skip to content
      </a>
      <AppShell.Header>
        <Container size="xl" h="100%">
          <Group h="100%" justify="space-between" wrap="nowrap">
            <Group gap="lg" wrap="nowrap">
              <UnstyledButton
                component="a"
                href="/"
                onClick={(event: MouseEvent<HTMLAnchorElement>) => handleLinkClick(event, '/')}
                aria-label="Firebreak dashboard"
              >
                <Group gap={6} wrap="nowrap">
                  <FlameIcon size={22} color="var(--mantine-color-red-6)" />
                  <Text fw={750} size="lg">
                    Firebreak
                  </Text>
                </Group>
              </UnstyledButton>
              <Group gap={4} component="nav" aria-label="Main" visibleFrom="xs">
                <NavButton to="/" active={route.name === 'dashboard'}>
                  Dashboard
                </NavButton>
                <NavButton to="/plans" active={route.name === 'plans' || route.name === 'plan'}>
                  Plans
                </NavButton>
                {user.role !== 'reporter' && (
                  <NavButton to="/schedules" active={route.name === 'schedules'}>
                    On call
                  </NavButton>
                )}
                {user.role !== 'reporter' && (
                  <NavButton to="/metrics" active={route.name === 'metrics'}>
                    Metrics
                  </NavButton>
                )}
              </Group>
            </Group>
            <Group gap="sm" wrap="nowrap">
              <Button
                component="a"
                href="/report"
                color="red"
                leftSection={<PlusIcon size={16} />}
                onClick={(event: MouseEvent<HTMLAnchorElement>) => handleLinkClick(event, '/report')}
              >
                Report an event
              </Button>
              <ThemeToggle />
              <Menu position="bottom-end" withArrow>
                <Menu.Target>
                  <UnstyledButton aria-label={`Account: ${user.name}`}>
                    <Avatar color="indigo" radius="xl" size={34}>
                      {user.name
                        .split(/\s+/)
                        .map((part) => part[0])
                        .join('')
                        .slice(0, 2)
                        .toUpperCase()}
                    </Avatar>
                  </UnstyledButton>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Label>
                    {user.name} · @{user.handle} · {user.role}
                  </Menu.Label>
                  <Menu.Item component="a" href="/account" onClick={(event: MouseEvent<HTMLAnchorElement>) => handleLinkClick(event, '/account')}>
                    Sessions and tokens
                  </Menu.Item>
                  <Menu.Item onClick={() => void signOut()}>Sign out</Menu.Item>
                </Menu.Dropdown>
              </Menu>
            </Group>
          </Group>
        </Container>
      </AppShell.Header>
      <AppShell.Main id="main">
        <Container size="xl" py="md">
          {children}
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
