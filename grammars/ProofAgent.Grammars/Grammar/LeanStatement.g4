// Lean 4 theorem statements as written in miniF2F and Mathlib-style problems:
//   theorem NAME binders* : TERM := by
// Operator levels follow Lean 4 / Mathlib (earlier alternative = tighter): application and postfix, ^ (75, right),
// unary minus (75), * / % (70), big operators ∑ ∏ (body at 67), + - (65), relations (50), ¬ (40), ∧ (35, right),
// ∨ (30, right), → (25, right), ↔ (20), then binders (∀ ∃ fun) whose body extends as far as possible.
grammar LeanStatement;

statement
    : (THEOREM | LEMMA) name=IDENT binder* COLON term (ASSIGN (BY SORRY? | SORRY)?)? EOF
    ;

// A goal conclusion or any standalone proposition.
standaloneTerm
    : term EOF
    ;

binder
    : LPAREN binderName+ (COLON term)? RPAREN        # explicitBinder
    | LBRACE binderName+ COLON term RBRACE           # implicitBinder
    | LBRACKET (binderName COLON)? term RBRACKET     # instanceBinder
    ;

binderName
    : IDENT
    | UNDERSCORE
    ;

term
    : <assoc=right> term POW term                                    # powExpr
    | MINUS term                                                     # negExpr
    | term op=(TIMES | DIV | DIVRAT | MOD | INTER | SDIFF | IMAGE | PREIMAGE | COMPOSE) term   # mulExpr
    | bigOp=(SUM | PROD) bigBinder COMMA term                        # bigOpExpr
    | term op=(PLUS | MINUS | UNION) term                            # addExpr
    | term MODEQSYM term MODEQ term RBRACKET                         # modEqExpr
    | term op=(EQ | NE | LT | GT | LE | GE | DVD | IN | NOTIN | SUBSET | SSUBSET) term   # relExpr
    | NOT term                                                       # notExpr
    | <assoc=right> term AND term                                    # andExpr
    | <assoc=right> term OR term                                     # orExpr
    | <assoc=right> term TIMESX term                                 # prodTypeExpr
    | <assoc=right> term ARROW term                                  # arrowExpr
    | term IFF term                                                  # iffExpr
    | quant=(FORALL | EXISTS | EXISTSUNIQUE) quantBinders COMMA term # quantExpr
    | FUN funBinder+ MAPSTO term                                     # funExpr
    | IF term THEN term ELSE term                                    # iteExpr
    | application                                                    # appExpr
    ;

quantBinders
    : binderName+ (COLON term)?                                      # simpleBinders
    | binderName+ op=(GT | LT | GE | LE | NE | IN | NOTIN | SUBSET) term  # predicateBinders
    | (LPAREN binderName+ (COLON term)? RPAREN)+                     # bracketedBinders
    ;

bigBinder
    : binderName (COLON term)? ((IN_KW | IN) term)?
    | LPAREN binderName COLON term RPAREN ((IN_KW | IN) term)?
    ;

funBinder
    : binderName
    | LPAREN binderName+ (COLON term)? RPAREN
    ;

application
    : argument argument*
    ;

argument
    : primary postfix*
    ;

postfix
    : FACT
    | INV
    | FIELD
    ;

primary
    : IDENT                                                          # identPrimary
    | NUMBER                                                         # numberPrimary
    | CDOT                                                           # cdotPrimary
    | COE argument                                                   # coePrimary
    | LPAREN term COLON term RPAREN                                  # ascriptionPrimary
    | LPAREN term (COMMA term)+ RPAREN                               # tuplePrimary
    | LPAREN term RPAREN                                             # parenPrimary
    | LBRACE binderName (COLON term)? BAR term RBRACE                # setBuilderPrimary
    | LBRACE (term (COMMA term)*)? RBRACE                            # setLiteralPrimary
    | LBRACKET (term (COMMA term)*)? RBRACKET                        # listLiteralPrimary
    | LANGLE (term (COMMA term)*)? RANGLE                            # anonymousConstructorPrimary
    | LFLOOR term RFLOOR                                             # floorPrimary
    | LCEIL term RCEIL                                               # ceilPrimary
    ;

THEOREM : 'theorem';
LEMMA : 'lemma';
BY : 'by';
SORRY : 'sorry';
FUN : 'fun' | 'λ';
IF : 'if';
THEN : 'then';
ELSE : 'else';
IN_KW : 'in';
ASSIGN : ':=';
COLON : ':';
COMMA : ',';
MAPSTO : '=>' | '↦';
LPAREN : '(';
RPAREN : ')';
LBRACE : '{';
RBRACE : '}';
MODEQ : '[' [ \t]* ('MOD' | 'ZMOD' | 'PMOD');
LBRACKET : '[';
RBRACKET : ']';
LANGLE : '⟨';
RANGLE : '⟩';
LFLOOR : '⌊';
RFLOOR : '⌋' | '⌋₊';
LCEIL : '⌈';
RCEIL : '⌉' | '⌉₊';
BAR : '|';
FORALL : '∀';
EXISTSUNIQUE : '∃!';
EXISTS : '∃';
SUM : '∑';
PROD : '∏';
IFF : '↔';
ARROW : '→' | '->';
AND : '∧';
OR : '∨';
NOT : '¬';
EQ : '=';
NE : '≠';
LE : '≤' | '<=';
GE : '≥' | '>=';
LT : '<';
GT : '>';
DVD : '∣';
IN : '∈';
NOTIN : '∉';
SUBSET : '⊆';
SSUBSET : '⊂';
UNION : '∪';
INTER : '∩';
SDIFF : '\\';
IMAGE : '\'\'';
PREIMAGE : '⁻¹\'';
INV : '⁻¹';
COMPOSE : '∘';
TIMESX : '×' | '×ˢ';
PLUS : '+';
MINUS : '-';
TIMES : '*';
DIVRAT : '/.';
DIV : '/';
MOD : '%';
POW : '^';
FACT : '!';
COE : '↑';
CDOT : '·';
UNDERSCORE : '_';
MODEQSYM : '≡';

NUMBER : [0-9]+ ('.' [0-9]+)?;
IDENT : NAME_PART ('.' NAME_PART)* | 'ℕ+';
FIELD : '.' (NAME_PART | [0-9]+);

fragment NAME_PART : NAME_START NAME_REST*;
fragment NAME_START : [a-zA-Z_] | [\u03B1-\u03C9] | [\u0391-\u03A9] | [ℝℕℤℚℂ] | [\u{1D49C}-\u{1D59F}];
fragment NAME_REST : NAME_START | [0-9'!?] | [₀-₉] | [ᵢⱼₖₙₘ];

LINE_COMMENT : '--' ~[\r\n]* -> skip;
BLOCK_COMMENT : '/-' .*? '-/' -> skip;
WS : [ \t\r\n]+ -> skip;
ERRCHAR : .;
