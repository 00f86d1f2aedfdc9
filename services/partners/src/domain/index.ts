import { isRegionCode, regionCovers } from '@xueji/auth';
import type { BilingualMessage } from '@xueji/errors';

/** What a partner was granted: event types and a region (a province or city covers its counties). */
export interface Grant {
  eventTypes: readonly string[];
  regionCode: string;
}

/** A partner event as the log keeps it: its type and the student's school county, if it says. */
export interface LoggedEvent {
  type: string;
  /** Absent on events published before producers added it: such an event matches no grant. */
  regionCode: string | null;
}

/** ADM-5, issue 14: a partner receives an event only of a granted type and of a school in its region. */
export function grantCovers(grant: Grant, event: LoggedEvent): boolean {
  return (
    grant.eventTypes.includes(event.type) &&
    event.regionCode !== null &&
    regionCovers(grant.regionCode, event.regionCode)
  );
}

/** How long to wait after the `attempts`-th failed attempt: `base`·2^(attempts−1), at most `cap`. */
export function retryDelayMs(attempts: number, baseMs: number, capMs: number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  return Math.min(capMs, baseMs * 2 ** exponent);
}

/** After a failed attempt: try again later, or give up (dead-letter) once `maxAttempts` were made. */
export function afterFailure(attempts: number, maxAttempts: number): 'PENDING' | 'DEAD_LETTERED' {
  return attempts >= maxAttempts ? 'DEAD_LETTERED' : 'PENDING';
}

/** A 2xx answer is an accepted delivery; anything else (and no answer) is a failure to retry. */
export const accepted = (status: number): boolean => status >= 200 && status < 300;

const MAX_URL_LENGTH = 2_000;

/** A partner's endpoint: an absolute http(s) URL without user information, at most 2,000 characters. */
export function endpointProblem(url: string): BilingualMessage | null {
  if (url.length > MAX_URL_LENGTH) {
    return { zh: `地址不得超过 ${MAX_URL_LENGTH} 个字符`, en: `At most ${MAX_URL_LENGTH} characters` };
  }
  // Controls and spaces: a URL has none (and PostgreSQL text cannot hold NUL).
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007F-\u009F]/.test(url)) {
    return { zh: '网址不得含有空格或控制字符', en: 'The URL must not contain spaces or control characters' };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { zh: '不是有效的网址', en: 'Not a valid URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { zh: '网址必须以 http:// 或 https:// 开头', en: 'The URL must be http:// or https://' };
  }
  if (parsed.username || parsed.password) {
    return { zh: '网址不得含有用户名或密码', en: 'The URL must not carry a user name or password' };
  }
  return null;
}

const SECRET = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

/** Standard Webhooks: `whsec_` and the Base64 of 24 to 64 random bytes. */
export function secretProblem(secret: string): BilingualMessage | null {
  const match = SECRET.exec(secret);
  const bytes = match && match[1]!.length % 4 === 0 ? Buffer.from(match[1]!, 'base64').length : 0;
  if (bytes < 24 || bytes > 64) {
    return {
      zh: '密钥应为 whsec_ 加 24–64 字节的 Base64（Standard Webhooks）',
      en: 'The secret must be whsec_ and the Base64 of 24 to 64 bytes (Standard Webhooks)',
    };
  }
  return null;
}

export function regionProblem(code: string): BilingualMessage | null {
  return isRegionCode(code) ? null : { zh: '地区代码应为 6 位数字', en: 'A region code has 6 digits' };
}
