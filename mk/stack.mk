# The stack targets (written by the stack work).
