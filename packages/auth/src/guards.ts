import { forbidden, unauthenticated } from '@xueji/errors';
import { canReadSchool, type Principal, type Role, type SchoolScope } from './principal';

/** The caller must be signed in. */
export function requirePrincipal(principal: Principal | null): Principal {
  if (!principal) throw unauthenticated();
  return principal;
}

/** The caller must be signed in with one of these roles. */
export function requireRole(principal: Principal | null, ...roles: Role[]): Principal {
  const p = requirePrincipal(principal);
  if (!roles.includes(p.role)) {
    throw forbidden({
      zh: `此操作仅限以下角色：${roles.join('、')}`,
      en: `Only these roles may do this: ${roles.join(', ')}`,
    });
  }
  return p;
}

/** The caller must be allowed to see records of this school. */
export function assertCanReadSchool(principal: Principal | null, scope: SchoolScope): Principal {
  const p = requirePrincipal(principal);
  if (!canReadSchool(p, scope)) {
    throw forbidden({
      zh: '无权查看其他学校或辖区的学生',
      en: 'You may not read students of another school or region',
    });
  }
  return p;
}
