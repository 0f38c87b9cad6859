// Isabelle/HOL theorem statements: theorem NAME: fixes ... assumes ... shows "..." (or one quoted proposition).
// The inner syntax between double quotes uses the ASCII symbol escapes (\<le>, \<Rightarrow>, ...). Levels follow
// HOL (earlier alternative = tighter): application, ^ powr (80, right), unary - (80), * / div mod (70), + - (65),
// relations (50), \<not> (40), \<and> (35, right), \<or> (30, right), --> <-> (25, right), binders, ==> (1, right).
grammar IsabelleStatement;

statement
    : (THEOREM | LEMMA) (name=IDENT attributes?)? COLON? body EOF
    ;

attributes
    : LBRACKET ~RBRACKET* RBRACKET
    ;

body
    : fixes? assumes* shows                                         # structuredBody
    | fixes? assumes* proposition+                                  # plainBody
    ;

fixes
    : FIXES fixGroup (AND_KW fixGroup)*
    ;

fixGroup
    : IDENT+ (DCOLON type)?
    ;

assumes
    : ASSUMES assumption (AND_KW assumption)*
    ;

assumption
    : (label COLON)? proposition+
    ;

label
    : IDENT attributes?
    ;

shows
    : SHOWS (label COLON)? proposition+ (AND_KW (label COLON)? proposition+)*
    ;

proposition
    : QUOTE innerTerm QUOTE isPattern?
    ;

isPattern
    : LPAREN IS_KW QUOTE ~QUOTE* QUOTE RPAREN
    ;

standaloneTerm
    : innerTerm EOF
    ;

innerTerm
    : term
    ;

type
    : QUOTE typeExpr QUOTE
    | typeExpr
    ;

typeExpr
    : typeApp (RIGHTARROW typeExpr)?
    ;

typeApp
    : typeAtom IDENT*
    ;

typeAtom
    : IDENT
    | TYPEVAR
    | LPAREN typeExpr (COMMA typeExpr)* RPAREN
    ;

term
    : <assoc=right> term op=(IMAGE | VIMAGE) term                   # imageExpr
    | <assoc=right> term op=(POW | POWR) term                       # powExpr
    | MINUS term                                                    # negExpr
    | term op=(TIMES | DIV | DIVKW | MODKW) term                    # mulExpr
    | term op=(PLUS | MINUS) term                                   # addExpr
    | <assoc=right> term op=(HASH | APPEND) term                    # consExpr
    | term op=(EQ | NE | LT | GT | LE | GE | DVD | IN | NOTIN | SUBSETEQ | SUBSET) term  # relExpr
    | NOT term                                                      # notExpr
    | <assoc=right> term AND term                                   # andExpr
    | <assoc=right> term OR term                                    # orExpr
    | <assoc=right> term op=(IMPLIES | IFF) term                    # impExpr
    | quant=(FORALL | EXISTS | EXISTSUNIQUE | METAFORALL | LAMBDA | THE | SOME | LEAST | GREATEST) quantBinders DOT term  # quantExpr
    | bigOp=(SUM | PROD) bigBinder DOT term                         # bigOpExpr
    | IF term THEN term ELSE term                                   # iteExpr
    | LET pattern EQ term IN_KW term                                # letExpr
    | <assoc=right> term METAIMP term                               # metaImpExpr
    | application                                                   # appExpr
    ;

quantBinders
    : binderVar+ (op=(IN | LT | GT | LE | GE | NE) term)?
    ;

binderVar
    : IDENT (DCOLON typeExpr)?
    | LPAREN IDENT+ DCOLON typeExpr RPAREN
    ;

bigBinder
    : binderVar IN term
    | binderVar op=(LT | LE) term
    | binderVar EQ lo=term range=(DOTDOT | DOTDOTLT) hi=term
    ;

pattern
    : IDENT
    | LPAREN pattern (COMMA pattern)* RPAREN
    ;

application
    : argument argument*
    ;

argument
    : primary (DCOLON typeAtom)?
    ;

primary
    : IDENT                                                         # identPrimary
    | NUMBER                                                        # numberPrimary
    | SCHEMATIC                                                     # schematicPrimary
    | DUMMY                                                         # dummyPrimary
    | SYMBOLCONST                                                   # symbolPrimary
    | LPAREN term DCOLON typeExpr RPAREN                            # ascriptionPrimary
    | LPAREN term (COMMA term)+ RPAREN                              # tuplePrimary
    | LPAREN term RPAREN                                            # parenPrimary
    | LPAREN op=(PLUS | TIMES | MINUS | DIV) RPAREN                 # operatorSectionPrimary
    | LBRACE binderVar DOT term RBRACE                              # setBuilderPrimary
    | LBRACE binderVar IN term DOT term RBRACE                      # setBuilderInPrimary
    | LBRACE term? range=(DOTDOT | DOTDOTLT | LTDOTDOT | LTDOTDOTLT) term? RBRACE   # rangePrimary
    | LBRACE (term (COMMA term)*)? RBRACE                           # setLiteralPrimary
    | LBRACKET (term (COMMA term)*)? RBRACKET                       # listPrimary
    | LBRACKET term EQ term RBRACKET LPAREN MODKW term RPAREN       # congruencePrimary
    | BAR term BAR                                                  # absPrimary
    | LFLOOR term RFLOOR                                            # floorPrimary
    | LCEIL term RCEIL                                              # ceilPrimary
    | op=(SUM | PROD) argument                                      # setBigOpPrimary
    ;

THEOREM : 'theorem';
LEMMA : 'lemma';
FIXES : 'fixes';
ASSUMES : 'assumes';
SHOWS : 'shows';
AND_KW : 'and';
IS_KW : 'is';
IF : 'if';
THEN : 'then';
ELSE : 'else';
LET : 'let';
IN_KW : 'in';
DIVKW : 'div';
MODKW : 'mod';
DVD : 'dvd';
POWR : 'powr';
THE : 'THE';
SOME : 'SOME';
LEAST : 'LEAST';
GREATEST : 'GREATEST';

QUOTE : '"';
DCOLON : '::';
COLON : ':';
COMMA : ',';
DOTDOTLT : '..<';
LTDOTDOTLT : '<..<';
LTDOTDOT : '<..';
DOTDOT : '..';
DOT : '.';
LPAREN : '(';
RPAREN : ')';
LBRACE : '{';
RBRACE : '}';
LBRACKET : '[';
RBRACKET : ']';
HASH : '#';
DUMMY : '_';
APPEND : '@';

METAIMP : '\\<Longrightarrow>' | '==>';
METAFORALL : '\\<And>' | '!!';
RIGHTARROW : '\\<Rightarrow>' | '=>';
IFF : '\\<longleftrightarrow>' | '<->';
IMPLIES : '\\<longrightarrow>' | '-->';
FORALL : '\\<forall>' | 'ALL';
EXISTSUNIQUE : '\\<exists>!' | 'EX!';
EXISTS : '\\<exists>' | 'EX';
LAMBDA : '\\<lambda>' | '%';
SUM : '\\<Sum>';
PROD : '\\<Prod>';
AND : '\\<and>' | '&';
OR : '\\<or>' | '|';
NOT : '\\<not>' | '~';
NE : '\\<noteq>' | '~=';
LE : '\\<le>' | '<=';
GE : '\\<ge>' | '>=';
IN : '\\<in>';
NOTIN : '\\<notin>' | '~:';
SUBSETEQ : '\\<subseteq>';
SUBSET : '\\<subset>';
BAR : '\\<bar>';
LFLOOR : '\\<lfloor>';
RFLOOR : '\\<rfloor>';
LCEIL : '\\<lceil>';
RCEIL : '\\<rceil>';
SYMBOLCONST : '\\<i>' | '\\<pi>' | '\\<rat>' | '\\<real>' | '\\<nat>' | '\\<int>' | '\\<complex>';
IMAGE : '`';
VIMAGE : '-`';
EQ : '=';
LT : '<';
GT : '>';
PLUS : '+';
MINUS : '-';
TIMES : '*';
DIV : '/';
POW : '^';

NUMBER : [0-9]+ ('.' [0-9]+)?;
SCHEMATIC : '?' NAME;
TYPEVAR : '\'' NAME;
IDENT : (NAME | GREEK NAME_REST*) | [A-Z] NAME_REST* ('.' NAME)+;
fragment GREEK : '\\<' ('alpha' | 'beta' | 'gamma' | 'delta' | 'epsilon' | 'zeta' | 'eta' | 'theta' | 'iota' | 'kappa' | 'mu' | 'nu' | 'xi' | 'rho' | 'sigma' | 'tau' | 'upsilon' | 'phi' | 'chi' | 'psi' | 'omega' | 'Gamma' | 'Delta' | 'Theta' | 'Sigma' | 'Phi' | 'Psi' | 'Omega') '>';

fragment NAME : [a-zA-Z] NAME_REST*;
fragment NAME_REST : [a-zA-Z0-9_'] | '\\<^sub>' | '\\<^sub>';

COMMENT : '(*' .*? '*)' -> skip;
WS : [ \t\r\n]+ -> skip;
ERRCHAR : .;
