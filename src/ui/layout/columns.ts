/** Width of one rack column, shared by the Ink view and the plain first frame. */
export const RACK_COL_WIDTH_PLAIN = 26;
