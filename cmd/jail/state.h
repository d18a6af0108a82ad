/*
 * The state machine's interface to main.c: choose the jails and the
 * operation, then run.
 */
#ifndef JAIL8_STATE_H
#define JAIL8_STATE_H

#include <stdio.h>

#include "jail8.h"

extern int paralimit;		/* -p: commands at once; -1 no limit */
extern int note_remove;		/* say "removed" of command-line jails */
extern FILE *jfile;		/* -J */
extern int legacy_form;		/* the old four-argument form */

/* Link every configured jail to those its depend names (loops fail). */
void	state_link_depends(void);
/* Choose J for OP (JF_START, JF_SET, JF_STOP or a mix), with its needs. */
void	state_choose(struct cfjail *j, unsigned op);
/* "jail: "NAME" not found", for J. */
void	state_not_found(const struct cfjail *j);
/* Run every chosen jail to its end: 0 if all succeeded, else 1. */
int	state_run(void);

#endif
