-- synth_scratch: the build's scratch table of replaced figures, empty as after a first build
-- (pipeline.build creates it the same way), so build_figure_changes can be timed too.
CREATE OR REPLACE TABLE retired_figures AS SELECT * FROM figures LIMIT 0
