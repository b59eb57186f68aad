/**
 * `polymorph/structure`: the {@link Structure} container, cells, neighbour lists, elements, units.
 * @module structure
 */
export * from './structure';
export * from './cell';
export * from './elements';
export * from './neighbor-list';
export * as units from './units';
export type { MatrixLike } from '../core/arrays';
