/**
 * Single sign-on with an OpenID Connect provider (openid-client): authorization code flow
 * with PKCE, state and nonce. The flow's secrets ride in a short-lived signed cookie, so
 * any server process can finish a sign-in another one started.
 */
import * as client from 'openid-client';
import { FirebreakError } from '../../domain/errors.js';
import type { OidcSettings } from '../http-context.js';

export const OIDC_COOKIE = 'fb_oidc';

export interface OidcPending {
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
}

export interface OidcClaims {
  readonly subject: string;
  readonly email?: string;
  /** The provider's `email_verified` claim: only a verified address may link an existing account. */
  readonly emailVerified: boolean;
  readonly name?: string;
  readonly preferredUsername?: string;
}

export class OidcSignIn {
  private config: Promise<client.Configuration> | null = null;

  constructor(readonly settings: OidcSettings) {}

  private configuration(): Promise<client.Configuration> {
    this.config ??= client
      .discovery(new URL(this.settings.issuer), this.settings.clientId, this.settings.clientSecret, undefined, this.settings.allowInsecure ? { execute: [client.allowInsecureRequests] } : undefined)
      .catch((error: unknown) => {
        this.config = null;
        throw new FirebreakError('FB_ERR_AUTH_OIDC_FAILED', `cannot reach the identity provider ${this.settings.issuer}: ${error instanceof Error ? error.message : String(error)}`);
      });
    return this.config;
  }

  async start(): Promise<{ url: string; pending: OidcPending }> {
    const config = await this.configuration();
    const verifier = client.randomPKCECodeVerifier();
    const pending = { verifier, state: client.randomState(), nonce: client.randomNonce() };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUrl,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  /** Exchanges the code in the callback's query for verified identity claims. */
  async finish(query: string, pending: OidcPending): Promise<OidcClaims> {
    const config = await this.configuration();
    const current = new URL(this.settings.redirectUrl);
    current.search = query;
    try {
      const tokens = await client.authorizationCodeGrant(config, current, { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true });
      const claims = tokens.claims();
      if (!claims) throw new Error('no ID token');
      const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
      const email = text(claims['email']);
      const name = text(claims['name']);
      const preferredUsername = text(claims['preferred_username']);
      return { subject: `${claims.iss}|${claims.sub}`, emailVerified: claims['email_verified'] === true, ...(email ? { email } : {}), ...(name ? { name } : {}), ...(preferredUsername ? { preferredUsername } : {}) };
    } catch (error) {
      if (error instanceof FirebreakError) throw error;
      throw new FirebreakError('FB_ERR_AUTH_OIDC_FAILED', `single sign-on failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
