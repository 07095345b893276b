/**
 * A minimal Server-Sent Events reader for tests, over global fetch: collects messages
 * and lets a test wait for one that matches.
 */
export interface SseMessage {
  readonly event: string;
  readonly data: unknown;
}

export interface SseClient {
  readonly status: number;
  readonly messages: SseMessage[];
  /** Comments seen (heartbeats, the greeting). */
  readonly comments: string[];
  waitFor(match: (m: SseMessage) => boolean, what: string): Promise<SseMessage>;
  waitForComment(text: string): Promise<void>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

export async function openSse(url: string, token: string): Promise<SseClient> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: controller.signal });
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  let ended: Promise<void> = Promise.resolve();
  if (response.ok && response.body) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    ended = (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut = buffer.indexOf('\n\n');
          while (cut >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            let event = 'message';
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) comments.push(line.slice(1).trim());
              else if (line.startsWith('event: ')) event = line.slice(7);
              else if (line.startsWith('data: ')) data += line.slice(6);
            }
            if (data) messages.push({ event, data: JSON.parse(data) });
            cut = buffer.indexOf('\n\n');
          }
          notify();
        }
      } catch {
        // aborted by close()
      }
      notify();
    })();
  }
  let finished = false;
  void ended.then(() => {
    finished = true;
  });
  function waitUntil<T>(check: () => T | undefined, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const found = check();
        if (found !== undefined) {
          waiters.delete(attempt);
          resolve(found);
        } else if (finished) {
          waiters.delete(attempt);
          reject(new Error(`stream ended before ${what}`));
        }
      };
      waiters.add(attempt);
      attempt();
    });
  }
  return {
    status: response.status,
    messages,
    comments,
    ended,
    waitFor: (match, what) => waitUntil(() => messages.find(match), what),
    waitForComment: (text) => waitUntil(() => (comments.includes(text) ? true : undefined), `comment "${text}"`).then(() => undefined),
    close: () => controller.abort(),
  };
}
