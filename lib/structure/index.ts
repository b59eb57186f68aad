/**
 * `polymorph/structure`: the {@link Structure} container, cells, neighbour lists, elements, units.
 * @module structure
 */
export * from './structure';
export { cellFromParameters, cellParameters, cellVolume, planeSpacings } from './cell';
export type { CellParameters, Matrix3 } from './cell';
export * from './elements';
export * from './neighbor-list';
export * as units from './units';
export type { MatrixLike } from '../core/arrays';
