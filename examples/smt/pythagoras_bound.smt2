; Proved iff every (check-sat) is unsat: here the negation of "x^2 + y^2 >= 2xy" has no model.
(set-logic QF_NRA)
(declare-const x Real)
(declare-const y Real)
(assert (not (>= (+ (* x x) (* y y)) (* 2.0 x y))))
(check-sat)
