(module
  ;; Copies in a row join into `Copy2`; a label (the loop header) between
  ;; two copies keeps them apart, so a branch never lands inside one.
  (func $rotate (param i32 i32 i32) (result i32) (local i32)
    (local.set 3 (local.get 0))
    (local.set 0 (local.get 1))
    (loop $l
      (local.set 1 (local.get 2))
      (local.set 2 (local.get 3))
      (local.set 3 (local.get 0))
      (br_if $l (i32.eqz (local.get 3))))
    (local.get 1)))
