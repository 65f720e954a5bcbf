/** Schema pieces the mailbox's form schemas share (set-up, the private page, the staff routes). */
import { z } from 'zod';

/** A text field the service checks itself (missing counts as empty, as a browser sends it). */
export const sentText = z.string().optional().default('');
