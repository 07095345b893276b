// The parts of autocannon's programmatic API the benchmarks use (it ships no types,
// and @types/autocannon is not installed).
declare module 'autocannon' {
  namespace autocannon {
    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string;
      // biome-ignore lint/suspicious/noExplicitAny: autocannon passes the per-connection context object the caller shapes
      setupRequest?: (request: Request, context: any) => Request;
      // biome-ignore lint/suspicious/noExplicitAny: as above
      onResponse?: (status: number, body: string, context: any) => void;
    }
    interface Options {
      url: string;
      method?: string;
      connections?: number;
      duration?: number;
      /** Stop after this many requests instead of after `duration`. */
      amount?: number;
      /** Seconds before a request counts as timed out (default 10). */
      timeout?: number;
      /** Requests per second over all connections. */
      overallRate?: number;
      headers?: Record<string, string>;
      body?: string;
      requests?: Request[];
    }
    interface Histogram {
      average: number;
      mean: number;
      p50: number;
      p99: number;
      max: number;
      total: number;
    }
    interface Result {
      requests: Histogram;
      latency: Histogram;
      non2xx: number;
      errors: number;
      timeouts: number;
    }
  }
  function autocannon(options: autocannon.Options): Promise<autocannon.Result>;
  export default autocannon;
}
