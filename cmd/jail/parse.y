/*
 * jail.conf(5)'s grammar, as FreeBSD's jail(8) reads it: statements
 * outside any block apply to every jail, a block "name { ... }" holds a
 * jail's own (or, named "*" or "foo.*", a wildcard's), and a block inside
 * a block is the hierarchical jail "outer.inner".  A statement is
 * "name;", "name = v1, v2;", "name += v;", "name v;" or "$var = v;";
 * ".include "file";" reads another file in its place.  Each value is one
 * or more pieces (see lex.l) joined into a string.
 */
%define api.pure full
%define api.prefix {cfy}
%locations
%param {void *scanner}
%parse-param {struct conf_file *cf}

%code requires {
#include "confparse.h"
}

%code {
#define	YYSTYPE		CFYSTYPE
#define	YYLTYPE		CFYLTYPE

int	cfylex(YYSTYPE *lval, YYLTYPE *loc, void *scanner);
static void cfyerror(YYLTYPE *loc, void *scanner, struct conf_file *cf,
	    const char *msg);
}

%union {
	struct cfstring	*str;
	struct cfstmt	*stmt;
}

%token		PLEQ BADCHAR
%token <str>	STR STR1 VAR VAR1

%type <stmt>	param name value
%type <str>	string

%destructor { cfstr_free($$); } <str>
%destructor { stmt_free($$); } <stmt>

%%

conf	: %empty
	| conf jail
	| conf param ';'
	{
		if (conf_statement(cf, $2) < 0)
			YYABORT;
	}
	| conf ';'
	;

jail	: jail_name '{' conf '}'
	{
		conf_block_close();
	}
	;

/* A jail name is one string: "foo.*" is two pieces. */
jail_name : string
	{
		if (conf_block_open(cf, $1, @1.first_line) < 0)
			YYABORT;
	}
	;

param	: name
	| name '=' value
	{
		$$ = stmt_take_values($1, $3, 0);
	}
	| name PLEQ value
	{
		$$ = stmt_take_values($1, $3, PF_APPEND);
	}
	| name value
	{
		$$ = stmt_take_values($1, $2, SF_NAMEVAL);
	}
	| error
	{
		$$ = NULL;
	}
	;

name	: STR
	{
		$$ = stmt_name(cf, $1, 0, @1.first_line);
	}
	| VAR
	{
		$$ = stmt_name(cf, $1, PF_VAR, @1.first_line);
	}
	;

value	: string
	{
		$$ = stmt_value($1);
	}
	| value ',' string
	{
		stmt_add_value($1, $3);
		$$ = $1;
	}
	;

string	: STR
	| VAR
	| string STR1
	{
		cfstr_cat($1, $2);
		$$ = $1;
	}
	| string VAR1
	{
		cfstr_cat($1, $2);
		$$ = $1;
	}
	;

%%

static void
cfyerror(YYLTYPE *loc, void *scanner, struct conf_file *cf, const char *msg)
{
	(void)loc;
	(void)scanner;
	conf_syntax_error(cf, msg);
}
