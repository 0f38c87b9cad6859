// Coq / Rocq theorem statements: (Theorem|Lemma|...) NAME binders* : TERM .
// Levels follow Coq's standard notations (earlier alternative = tighter): application, ^ (30, right), unary - and
// prefix / (35), * / mod (40, left), + - (50, left), :: ++ (60, right), relations (70, with chains a <= b <= c),
// ~ (75), /\ (80, right), \/ (85, right), <-> (95), -> (99, right), then binders (forall exists fun).
grammar CoqStatement;

statement
    : keyword=(THEOREM | LEMMA | EXAMPLE | COROLLARY | PROPOSITION | FACT | REMARK) name=IDENT binder* COLON term DOT EOF
    ;

standaloneTerm
    : term DOT? EOF
    ;

binder
    : LPAREN IDENT+ COLON term RPAREN               # typedBinder
    | LBRACE IDENT+ (COLON term)? RBRACE            # implicitBinder
    | IDENT                                         # bareBinder
    ;

term
    : <assoc=right> term POW term                                   # powExpr
    | MINUS term                                                    # negExpr
    | DIV term                                                      # invExpr
    | term op=(TIMES | DIV | MODKW | HASH) term                     # mulExpr
    | term op=(PLUS | MINUS) term                                   # addExpr
    | <assoc=right> term op=(CONS | APPEND) term                    # consExpr
    | term rel term                                                 # relExpr
    | NOT term                                                      # notExpr
    | <assoc=right> term AND term                                   # andExpr
    | <assoc=right> term OR term                                    # orExpr
    | term IFF term                                                 # iffExpr
    | <assoc=right> term ARROW term                                 # arrowExpr
    | quant=(FORALL | EXISTS | EXISTSUNIQUE) quantBinders COMMA term # quantExpr
    | FUN funBinder+ MAPSTO term                                    # funExpr
    | FUN IDENT+ COLON term MAPSTO term                             # funTypedExpr
    | LET IDENT binder* (COLON term)? ASSIGN term IN term           # letExpr
    | IF term THEN term ELSE term                                   # iteExpr
    | SUM IDENT LT term COMMA term                                  # bigSumExpr
    | application                                                   # appExpr
    ;

rel
    : EQ | NE | LT | GT | LE | GE | QEQ | EQB | LEB | LTB
    ;

quantBinders
    : IDENT+ (COLON term)?                                          # simpleBinders
    | (LPAREN IDENT+ COLON term RPAREN)+                            # bracketedBinders
    ;

funBinder
    : IDENT
    | UNDERSCORE
    | LPAREN IDENT+ COLON term RPAREN
    | QUOTE LPAREN IDENT (COMMA IDENT)* RPAREN
    ;

application
    : AT? argument argument*
    ;

argument
    : primary (SCOPE | SQUARE)*
    ;

primary
    : IDENT                                                         # identPrimary
    | NUMBER                                                        # numberPrimary
    | UNDERSCORE                                                    # holePrimary
    | LPAREN term COLON term RPAREN                                 # ascriptionPrimary
    | LPAREN term (COMMA term)+ RPAREN                              # tuplePrimary
    | LPAREN term RPAREN                                            # parenPrimary
    | LPAREN term BAR term RPAREN                                   # dividesPrimary
    | LBRACKET (term (SEMI term)*)? RBRACKET                        # listPrimary
    | LBRACE IDENT (COLON term)? BAR term RBRACE                    # setBuilderPrimary
    ;

THEOREM : 'Theorem';
LEMMA : 'Lemma';
EXAMPLE : 'Example';
COROLLARY : 'Corollary';
PROPOSITION : 'Proposition';
FACT : 'Fact';
REMARK : 'Remark';
FORALL : 'forall' | '∀';
EXISTSUNIQUE : 'exists!';
EXISTS : 'exists' | '∃';
FUN : 'fun';
LET : 'let';
IN : 'in';
IF : 'if';
THEN : 'then';
ELSE : 'else';
MODKW : 'mod';
SUM : '∑';
ASSIGN : ':=';
CONS : '::';
COLON : ':';
COMMA : ',';
SEMI : ';';
MAPSTO : '=>';
IFF : '<->';
ARROW : '->' | '→';
AND : '/\\' | '∧';
OR : '\\/' | '∨';
NOT : '~' | '¬';
QEQ : '==';
EQB : '=?';
LEB : '<=?';
LTB : '<?';
HASH : '#';
SQUARE : '²';
NE : '<>' | '≠';
LE : '<=' | '≤';
GE : '>=' | '≥';
EQ : '=';
LT : '<';
GT : '>';
APPEND : '++';
PLUS : '+';
MINUS : '-';
TIMES : '*';
DIV : '/';
POW : '^';
AT : '@';
QUOTE : '\'';
BAR : '|';
LPAREN : '(';
RPAREN : ')';
LBRACE : '{';
RBRACE : '}';
LBRACKET : '[';
RBRACKET : ']';
UNDERSCORE : '_';
SCOPE : '%' [a-zA-Z_]+;

NUMBER : [0-9]+ ('.' [0-9]+)?;
IDENT : NAME ('.' NAME)*;
DOT : '.';

fragment NAME : [a-zA-Z_\u00C0-\u024F\u0370-\u03FF] [a-zA-Z_0-9'\u00C0-\u024F\u0370-\u03FF\u2080-\u2089]*;

COMMENT : '(*' (COMMENT | .)*? '*)' -> skip;
WS : [ \t\r\n]+ -> skip;
ERRCHAR : .;
