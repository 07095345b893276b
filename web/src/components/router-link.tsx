/**
 * An anchor that navigates inside the app without a reload, while staying a real link
 * (middle-click, copy link, open in new tab all work).
 */
import { Anchor, type AnchorProps } from '@mantine/core';
import type { MouseEvent, ReactNode } from 'react';
import { navigate } from '../hooks/use-route.js';

export function handleLinkClick(event: MouseEvent<HTMLAnchorElement>, to: string): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(to);
}

export function RouterLink({ to, children, ...props }: AnchorProps & { to: string; children: ReactNode; 'aria-label'?: string }) {
  return (
    <Anchor href={to} onClick={(event: MouseEvent<HTMLAnchorElement>) => handleLinkClick(event, to)} {...props}>
      {children}
    </Anchor>
  );
}
