/**
 * The public certificate lookup (GR-10): a small page served by the gateway, and a limit on how
 * often one client may ask without an account, so that the register cannot be enumerated.
 */
import path from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import express, { type Router } from 'express';
import { GraphQLError } from 'graphql';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Principal } from '@xueji/auth';
import { bilingual } from '@xueji/errors';

const PUBLIC_DIR = path.resolve(__dirname, '../public');

/** `/lookup` (the page), `/lookup.js`, `/lookup.css`: same-origin only, nothing inline. */
export function lookupPage(): Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.set('Content-Security-Policy', "default-src 'self'; frame-ancestors 'none'");
    res.set('X-Content-Type-Options', 'nosniff');
    next();
  });
  router.get('/lookup', (_req, res) => res.sendFile(path.join(PUBLIC_DIR, 'lookup.html')));
  router.get(['/lookup.js', '/lookup.css'], (req, res) => res.sendFile(path.join(PUBLIC_DIR, path.basename(req.path))));
  return router;
}

/** What the limiter needs of a request's context: who is calling, and from where. */
export interface PublicCaller {
  principal: Principal | null;
  clientAddress: string;
}

/**
 * GR-10: operations without an account count against their client address, `perMinute` a minute
 * (a signed-in caller is not limited here). Over it: RATE_LIMITED, HTTP 429, with Retry-After.
 */
export function publicRateLimitPlugin<C extends PublicCaller>(perMinute: number): ApolloServerPlugin<C> {
  const limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
  return {
    async requestDidStart({ contextValue }) {
      if (contextValue.principal) return;
      return {
        async didResolveOperation() {
          try {
            await limiter.consume(contextValue.clientAddress);
          } catch (error) {
            if (!(error instanceof RateLimiterRes)) throw error;
            const retryAfter = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
            const message = {
              zh: `查询过于频繁，请 ${retryAfter} 秒后再试`,
              en: `Too many lookups; try again in ${retryAfter} s`,
            };
            throw new GraphQLError(bilingual(message), {
              extensions: {
                code: 'RATE_LIMITED',
                messageZh: message.zh,
                messageEn: message.en,
                retryAfterSeconds: retryAfter,
                http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) },
              },
            });
          }
        },
      };
    },
  };
}
