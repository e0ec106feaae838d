export { DopplerError, type DopplerFailure } from './doppler-error';
export { type DopplerSourceOptions, dopplerSource } from './doppler-source';
