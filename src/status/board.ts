/** The Worker's handle on the platform's one StatusBoard object. */
import { guardedStub } from '../durable/guarded-stub';
import type { Env } from '../env';

const BOARD = 'platform';

export const statusBoard = (env: Pick<Env, 'STATUS_BOARD'>) => guardedStub('StatusBoard', env.STATUS_BOARD.get(env.STATUS_BOARD.idFromName(BOARD)));
