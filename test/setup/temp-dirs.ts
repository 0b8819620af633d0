import { afterAll } from 'vitest';
import { removeTempDirs } from '../helpers/temp.js';

// Runs in every test file: the temp folders its tests made go with it.
afterAll(removeTempDirs);
