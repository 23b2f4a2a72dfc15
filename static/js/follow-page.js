// The clerk's follow-up and survey screens: their lists follow changes made at other desks.
import { followPage } from "./follow-live.js";

followPage();
