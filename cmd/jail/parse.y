/* jail.conf(5) grammar: a placeholder until the grammar lands. */
%{
#include "jail8.h"
int yylex(void);
void yyerror(const char *);
%}
%%
conf:	%empty ;
%%
void yyerror(const char *s) { (void)s; }
