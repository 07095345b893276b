/**
 * Markdown written by people (notes, sitreps) shown as formatted text, safely. Two
 * layers: marked renders with raw HTML turned into visible text (no HTML passes
 * through), then DOMPurify removes anything that could still run (event handlers, SVG,
 * `javascript:` and other non-web links). Links open in a new tab without an opener.
 */
import { Typography } from '@mantine/core';
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { useMemo } from 'react';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    // Raw HTML in the Markdown is shown as the text the author typed, never parsed.
    html: ({ text }) => escapeHtml(text),
  },
});

const SAFE_URL = /^(?:https?:|mailto:|#|\/(?!\/))/i;

const purify = DOMPurify();
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    const href = node.getAttribute('href') ?? '';
    if (!SAFE_URL.test(href.trim())) node.removeAttribute('href');
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

export function renderMarkdown(text: string): string {
  const html = marked.parse(text) as string;
  return purify.sanitize(html, {
    ALLOWED_TAGS: ['p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'input'],
    ALLOWED_ATTR: ['href', 'title', 'target', 'rel', 'type', 'checked', 'disabled', 'align'],
    ALLOW_DATA_ATTR: false,
  });
}

export function MarkdownView({ text }: { text: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  return (
    <Typography className="fb-markdown" fz="sm">
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: rendered by marked with raw HTML escaped, then sanitised by DOMPurify */}
      <div dangerouslySetInnerHTML={{ __html: html }} />
    </Typography>
  );
}
