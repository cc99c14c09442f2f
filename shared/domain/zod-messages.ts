/**
 * zod/mini (small enough for the Lambda bundle) ships without messages; the English locale gives
 * "Invalid option: expected one of …" instead of "Invalid input". Imported for its effect.
 */
import * as z from 'zod/mini';
import { en } from 'zod/locales';

z.config(en());
