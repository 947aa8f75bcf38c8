import { validationFailed } from '../../domain/errors.js';
import { ouPathNames, ouPathProblem } from '../../domain/registry/ou-path.js';
import type { CloudDriver, OrganizationalUnit } from '../ports/cloud.js';
import { ensureNamed, findInPages } from '../cloud-pages.js';

export type OuCloud = Pick<CloudDriver, 'describeOrganizationRoot' | 'listOrganizationalUnitsForParent' | 'createOrganizationalUnit'>;

/** Resolved OU ids by path, for one provider's organisation; share one across many calls to save lookups. */
export type OuPathCache = Map<string, string>;

const findChild = (cloud: OuCloud, parentId: string, name: string): Promise<OrganizationalUnit | undefined> =>
  findInPages((token) => cloud.listOrganizationalUnitsForParent(parentId, token), (ou) => ou.name === name);

/**
 * Returns the id of the OU at `path` (e.g. /Workloads/Prod/LocalGov; '/' is the root), creating the
 * OUs that are missing on the way down. Safe to run concurrently and again after a crash: when another
 * process created the same OU first (DuplicateOrganizationalUnitException), it lists again and takes
 * that one.
 */
export async function ensureOuPath(cloud: OuCloud, path: string, cache: OuPathCache = new Map()): Promise<string> {
  if (path !== '/') {
    const problem = ouPathProblem(path);
    if (problem !== undefined) throw validationFailed(`OU path ${path} is not valid`, [{ path: ['ouPath'], message: problem }]);
  }
  let parentId: string = cache.get('/') ?? (await cloud.describeOrganizationRoot()).id;
  cache.set('/', parentId);
  let walked = '';
  for (const name of ouPathNames(path)) {
    walked = `${walked}/${name}`;
    const known = cache.get(walked);
    if (known !== undefined) {
      parentId = known;
      continue;
    }
    const under = parentId;
    const ou = await ensureNamed(() => findChild(cloud, under, name), () => cloud.createOrganizationalUnit(under, name), ['DuplicateOrganizationalUnitException']);
    cache.set(walked, ou.id);
    parentId = ou.id;
  }
  return parentId;
}
