;; spin.wat: `_start` loops forever; only fuel (`--fuel N`) stops it.
(module
  (func $spin (export "_start")
    (loop $l (br $l))))
