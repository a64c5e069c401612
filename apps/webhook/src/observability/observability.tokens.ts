export const LOGGER = Symbol('LOGGER');
export const ADMISSION_METRICS = Symbol('ADMISSION_METRICS');
