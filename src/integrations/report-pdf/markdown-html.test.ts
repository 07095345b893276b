import { describe, expect, it } from 'vitest';
import { markdownToHtmlFragment, reportHtml } from './markdown-html.js';

describe('report Markdown to HTML', () => {
  it('escapes raw HTML from templates and user text instead of passing it through', () => {
    const html = markdownToHtmlFragment('Root cause: <script>alert(1)</script> and <img src=x onerror=alert(2)>');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;script&#62;');
  });

  it('keeps http(s) and mailto links, drops javascript: and data: targets, and never loads images', () => {
    const html = markdownToHtmlFragment('[ok](https://example.org/a) [mail](mailto:sec@example.org) [bad](javascript:alert(1)) [data](data:text/html,x) ![pic](https://tracker.example/p.png)');
    expect(html).toContain('<a href="https://example.org/a">ok</a>');
    expect(html).toContain('<a href="mailto:sec@example.org">mail</a>');
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('data:text');
    expect(html).not.toContain('<img');
  });

  it('keeps template lines as lines, renders tables, and forbids scripts and remote loads by CSP', () => {
    const page = reportHtml({ title: 'INC-1 <report>', banner: 'DRILL', markdown: '**Severity**: P2\n**IC**: irene\n\n| a | b |\n|---|---|\n| 1 | 2 |' });
    expect(page).toContain('<strong>Severity</strong>: P2<br><strong>IC</strong>: irene');
    expect(page).toContain('<table>');
    expect(page).toContain("default-src 'none'");
    expect(page).toContain('<title>INC-1 &#60;report&#62;</title>');
    expect(page).toContain('<div class="banner">DRILL</div>');
  });
});
