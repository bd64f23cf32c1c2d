/* lxw_trace - the trace of libxlsxwriter calls that bench/lxw_trace.c
 * (an LD_PRELOAD shim around fxbook) writes and bench/floor_xlsx.c
 * replays: floor (c) of `make bench`.
 *
 * The file: the 8 bytes LXW_TRACE_MAGIC, then one record per call fxbook
 * made, in the order it made them, then an END record. A record is its
 * opcode (one byte) and its fields, in the order listed below, with no
 * padding, in the byte order of the machine that wrote it (the trace is
 * read where it was written):
 *   id   u32  an object: workbook, worksheet, format, chart and series
 *             each count 1, 2, ... in the order they were created; 0 is
 *             NULL, LXW_TRACE_UNKNOWN a pointer the shim never saw created
 *   axis u32  2 * chart id + 0 for its x_axis, + 1 for its y_axis
 *   row  u32, col u16, u8, u16, u32 (colors), i32, i64, f64 (a double)
 *   str  u32 length, that many bytes, a NUL; length LXW_TRACE_NULL is a
 *        NULL pointer (no bytes, no NUL)
 * A call's struct argument (options, properties, conditional format,
 * line, fill) is a u8 "present" (0 for NULL) and, when 1, its fields;
 * a pointer in it is a str or an id. The END record is the number of
 * records before it (u64): a trace without it is cut short. */
#ifndef BENCH_LXW_TRACE_H
#define BENCH_LXW_TRACE_H

#define LXW_TRACE_MAGIC "LXWTRC1\n"
#define LXW_TRACE_UNKNOWN 0xFFFFFFFFu
#define LXW_TRACE_NULL 0xFFFFFFFFu

/* opcode: fields (the created object is numbered by the replay as well) */
enum lxw_trace_op {
    OP_END = 1,                 /* u64 records */
    OP_WB_NEW,                  /* str filename, u8 present [u8 constant_memory, str tmpdir,
                                   u8 use_zip64] -> workbook */
    OP_WB_ADD_WORKSHEET,        /* id wb, str name -> worksheet */
    OP_WB_ADD_FORMAT,           /* id wb -> format */
    OP_WB_ADD_CHART,            /* id wb, u8 type -> chart */
    OP_WB_SET_PROPERTIES,       /* id wb, u8 present [str title, subject, author, manager,
                                   company, category, keywords, comments, status,
                                   hyperlink_base, i64 created] */
    OP_WB_CLOSE,                /* id wb */
    OP_WS_WRITE_STRING,         /* id ws, row, col, str, id format */
    OP_WS_WRITE_NUMBER,         /* id ws, row, col, f64, id format */
    OP_WS_WRITE_FORMULA_NUM,    /* id ws, row, col, str formula, id format, f64 result */
    OP_WS_WRITE_URL_OPT,        /* id ws, row, col, str url, id format, str string,
                                   str tooltip */
    OP_WS_WRITE_BLANK,          /* id ws, row, col, id format */
    OP_WS_MERGE_RANGE,          /* id ws, row, col, row, col, str, id format */
    OP_WS_SET_ROW,              /* id ws, row, f64 height, id format */
    OP_WS_SET_COLUMN,           /* id ws, col first, col last, f64 width, id format */
    OP_WS_SET_COLUMN_OPT,       /* id ws, col, col, f64 width, id format, u8 present
                                   [u8 hidden, u8 level, u8 collapsed] */
    OP_WS_FREEZE_PANES,         /* id ws, row, col */
    OP_WS_AUTOFILTER,           /* id ws, row, col, row, col */
    OP_WS_CONDITIONAL_FORMAT,   /* id ws, row, col, row, col, u8 present [every field of
                                   lxw_conditional_format in its order: see lxw_trace.c] */
    OP_WS_REPEAT_ROWS,          /* id ws, row first, row last */
    OP_WS_FIT_TO_PAGES,         /* id ws, u16 width, u16 height */
    OP_WS_SET_LANDSCAPE,        /* id ws */
    OP_WS_SET_PAPER,            /* id ws, u8 paper */
    OP_WS_SET_MARGINS,          /* id ws, f64 left, right, top, bottom */
    OP_WS_SET_HEADER,           /* id ws, str */
    OP_WS_SET_FOOTER,           /* id ws, str */
    OP_WS_ACTIVATE,             /* id ws */
    OP_WS_INSERT_CHART_OPT,     /* id ws, row, col, id chart, u8 present [i32 x_offset,
                                   i32 y_offset, f64 x_scale, f64 y_scale,
                                   u8 object_position, str description, u8 decorative] */
    OP_FMT_SET_BOLD,            /* id format */
    OP_FMT_SET_NUM_FORMAT,      /* id format, str */
    OP_FMT_SET_BG_COLOR,        /* id format, u32 color */
    OP_FMT_SET_FONT_COLOR,      /* id format, u32 color */
    OP_FMT_SET_ALIGN,           /* id format, u8 */
    OP_FMT_SET_TEXT_WRAP,       /* id format */
    OP_FMT_SET_FONT_SIZE,       /* id format, f64 */
    OP_FMT_SET_BOTTOM,          /* id format, u8 */
    OP_FMT_SET_UNDERLINE,       /* id format, u8 */
    OP_FMT_SET_INDENT,          /* id format, u8 */
    OP_CH_ADD_SERIES,           /* id chart, str categories, str values -> series */
    OP_CH_SERIES_SET_VALUES,    /* id series, str sheet, row, col, row, col */
    OP_CH_SERIES_SET_CATEGORIES, /* id series, str sheet, row, col, row, col */
    OP_CH_SERIES_SET_FILL,      /* id series, u8 present [u32 color, u8 none,
                                   u8 transparency] */
    OP_CH_SERIES_SET_LINE,      /* id series, u8 present [u32 color, u8 none, f64 width,
                                   u8 dash_type, u8 transparency] */
    OP_CH_SERIES_SET_NAME,      /* id series, str */
    OP_CH_TITLE_SET_NAME,       /* id chart, str */
    OP_CH_SHOW_HIDDEN_DATA,     /* id chart */
    OP_CH_LEGEND_SET_POSITION,  /* id chart, u8 */
    OP_CH_AXIS_SET_REVERSE,     /* axis */
    OP_CH_AXIS_SET_NUM_FORMAT,  /* axis, str */
    OP_CH_AXIS_SET_MIN,         /* axis, f64 */
    OP_CH_AXIS_SET_MAX,         /* axis, f64 */
    OP_FMT_XF_INDEX,            /* id format: its style index set now (fxbook sets it as it
                                   makes a format, so that two threads may write cells) */
    OP_FMT_DXF_INDEX,           /* id format: its conditional-format index set now */
    OP_N
};

#endif
