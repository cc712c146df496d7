//! Apply: carrying out a plan in dependency order, writing state after every object.
