/**
 * The security headers every response carries (web app and API), through @fastify/helmet.
 * The CSP allows scripts only from this server's own files, so an injected <script> or
 * inline handler does not run; nothing may frame the incident room (frame-ancestors
 * 'none' plus X-Frame-Options DENY for old browsers); no referrer leaves with a link.
 * Pages with stricter needs (the public report form, published advisories) set their own
 * CSP on top, which replaces this one.
 */
import type { FastifyHelmetOptions } from '@fastify/helmet';

export const SECURITY_HEADERS: FastifyHelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      // Mantine injects its CSS variables in <style> tags and sets style attributes at run
      // time, so inline styles are allowed; styles cannot run code, and scripts stay strict.
      styleSrc: ["'self'", "'unsafe-inline'"],
      // The favicon is a data: URI in index.html.
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  // Same-origin API only; nothing here needs to be embedded cross-origin.
  crossOriginResourcePolicy: { policy: 'same-origin' },
};
