// The demo prints threads as a reader sees them: the bot's Markdown rendered to plain text.
import { describe, expect, it } from 'vitest';
import { bodyText, plainText } from '../scripts/demo-text.js';

describe('the demo’s plain text', () => {
  it('renders headings, emphasis, task lists, code and escapes as a reader sees them, and hides the markers', () => {
    const text = plainText(
      ['### Step: discussion — the agenda', '', '**Contoso\\* Ltd** is _ready_.', '- [ ] Add `workload-ready`.', '- [x] Done', '', '<!-- engagement-bot:step/discussion/1 -->'].join('\n'),
    );
    expect(text).toContain('Step: discussion — the agenda');
    expect(text).not.toMatch(/###|\*\*|`|<!--|\\\*/);
    expect(text).toContain('Contoso* Ltd is ready.');
    expect(text).toContain('[ ] Add workload-ready.');
    expect(text).toContain('[x] Done');
  });

  it('shortens a long mailto link and decodes entities', () => {
    const mailto = `mailto:ana@contoso.com?subject=${'x'.repeat(900)}`;
    const text = plainText(`[Open this draft in your e-mail app](<${mailto}>) &lt;ana@contoso.com&gt;`);
    expect(text).toMatch(/mailto:ana@contoso\.com\?… \([\d,]+ characters\)/);
    expect(text).not.toContain('x'.repeat(100));
    expect(text).toContain('<ana@contoso.com>');
  });

  it('keeps an issue body’s front-matter as YAML, without the hidden markers', () => {
    const body = '---\ncustomer: Contoso\n# engagement-bot: the keys below are kept by the bot\nstep: discussion\n---\n\n**Notes**\n<!-- engagement-bot:x -->\n';
    const text = bodyText(body);
    expect(text.startsWith('---\ncustomer: Contoso\n')).toBe(true);
    expect(text).toContain('Notes');
    expect(text).not.toContain('<!--');
  });
});
