/* khabar.text._halfspace: the run loops of khabar.text.halfspace.Restorer in C (optional accelerator).
 *
 * edits(ctx, text, protected) -> list of Edit
 *
 * Does what ``Restorer.edits_py(text)`` does, with the same answers: the runs of ``iter_runs``
 * (``protected``: the spans of the normalizer's PROTECTED pattern in ``text``, or None when there
 * can be none), and for each run ``Restorer.segment`` (``_segment_once``, its fast path,
 * ``_infos``, ``_segment_lm``, ``_gap_vetoes``, ``_gap_joins``, ``_changes``, ``_render``,
 * ``_union``), then ``_word_edits``.  The C code reads the restorer's caches (dicts and sets it is
 * given in ``ctx``, see ``Restorer._accel_ctx``) and the model's tables (``Table``, below: the type
 * ``unpack`` loads them into).  On a cache miss it answers the questions asked
 * most often itself, as Python would and filling the same caches: a gap pair's score, a piece's side
 * scores (``side_scores``), and the info of a token or the reading of a candidate word that is a known
 * word (``token_info_known``, ``known_reading``: the ``_known_alone`` case of ``token_info`` and the
 * first case of ``candidate``); for every other miss (an unknown token or word) it calls back into the
 * restorer's methods.  Caches are cleared in place when full (by Python,
 * or by C on the same rule), so every object taken from them is held with a strong reference while
 * code that could clear them runs.
 *
 * Floating point: the gap scores are summed in the Python order and squashed with the libm exp that
 * math.exp uses, so the comparisons with the thresholds come out the same.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#define ZWNJ 0x200C
#define MAX_RANGES 16

static PyObject *EMPTY;     /* "" */
static PyObject *NONE_STR;  /* "None": a cluster key's right neighbour at a run's end, as the f-string writes it */
static PyObject *ZWNJ_STR;  /* "\u200c" */

/* -------------------------------------------------------------------------------------------- */
/* The restorer's tables and methods (ctx), borrowed for the duration of one edits() call. */

typedef struct Table Table;

typedef struct {
    PyObject *tok_cache, *inert, *sideless, *affix, *dp_cache, *pair_cache, *side_cache;
    PyObject *token_info, *candidate, *edit;
    PyObject *cand_cache;
    /* the model's tables: the known words (skeleton -> log p) and their forms, triples, lefts, rights,
     * the gap classifier's weights, counts and flagged pieces, the language model's contexts and bigrams */
    Table *uni, *forms, *triples, *lefts, *rights, *gap_ws, *gap_t, *gap_h, *gap_r, *lflag, *rflag, *lm_ctx, *bi;
    double spaced_min, veto_max, side_min, merge_lp;
    Py_ssize_t max_pieces, cache_size;
    PyObject *joining;
    int joining_other;            /* a joining letter outside U+0600..U+06FF (then searched in ``joining``) */
    unsigned char jtab[256];      /* joining letters of U+0600..U+06FF */
    unsigned char wtab[256];      /* run characters (WORD_RANGES) of U+0600..U+06FF */
    Py_ssize_t n_word, n_glue;
    Py_UCS4 word_lo[MAX_RANGES], word_hi[MAX_RANGES];  /* the run characters (WORD_RANGES) */
    Py_UCS4 glue_lo[MAX_RANGES], glue_hi[MAX_RANGES];  /* marks a word may not be glued to (_GLUE_MARKS) */
    PyObject *glue;               /* other characters it may not be glued to (_GLUE) */
    PyObject *memo_capsule;       /* the restorer's memo (a capsule, see below) ... */
    struct Memo *memo;            /* ... its contents (hs_edits) */
    PyObject *epoch;              /* [n]: the restorer counts up n when it clears its token cache */
    PyObject *prefixes, *suffixes;  /* the model's affixes (small dicts) */
    PyObject *solid_suffixes;  /* Restorer._solid_suffixes (a frozenset) */
    int edit_tuple;               /* edit is a tuple of three fields and nothing else (a NamedTuple): add_edit
                                   * builds it as its __new__ would, without the Python call */
} Ctx;

static int
load_ranges(PyObject *seq, Py_UCS4 *lo, Py_UCS4 *hi, Py_ssize_t *n)
{
    if (!PyTuple_Check(seq) || PyTuple_GET_SIZE(seq) > MAX_RANGES) {
        PyErr_SetString(PyExc_TypeError, "ranges: a tuple of at most 16 (lo, hi) pairs");
        return -1;
    }
    *n = PyTuple_GET_SIZE(seq);
    for (Py_ssize_t i = 0; i < *n; i++) {
        unsigned long a, b;
        if (!PyArg_ParseTuple(PyTuple_GET_ITEM(seq, i), "kk", &a, &b))
            return -1;
        lo[i] = (Py_UCS4)a;
        hi[i] = (Py_UCS4)b;
    }
    return 0;
}

static inline int in_ranges(Py_UCS4 ch, const Py_UCS4 *lo, const Py_UCS4 *hi, Py_ssize_t n);

static PyTypeObject TableType;
static int tables_ok(const Ctx *c);

static int
ctx_load(Ctx *c, PyObject *t)
{
    PyObject *word_ranges, *glue_ranges;
    PyTypeObject *T = &TableType;
    if (!PyArg_ParseTuple(t, "O!O!O!O!O!O!O!O!O!O!O!O!OOOO!O!O!O!O!O!ddddnnUOOUOO!O!O!O!O!O!O!:ctx",
                          &PyDict_Type, &c->tok_cache, &PySet_Type, &c->inert, &PySet_Type, &c->sideless,
                          &PyFrozenSet_Type, &c->affix, T, &c->uni, T, &c->triples,
                          &PyDict_Type, &c->dp_cache, &PyDict_Type, &c->pair_cache, &PyDict_Type, &c->side_cache,
                          T, &c->lflag, T, &c->rflag, T, &c->gap_ws,
                          &c->token_info, &c->candidate, &c->edit,
                          &PyDict_Type, &c->cand_cache, T, &c->lm_ctx, T, &c->bi,
                          T, &c->gap_t, T, &c->gap_h, T, &c->gap_r,
                          &c->spaced_min, &c->veto_max, &c->side_min, &c->merge_lp,
                          &c->max_pieces, &c->cache_size, &c->joining,
                          &word_ranges, &glue_ranges, &c->glue, &c->memo_capsule, &PyList_Type, &c->epoch,
                          T, &c->forms, &PyDict_Type, &c->prefixes,
                          &PyDict_Type, &c->suffixes, T, &c->lefts, T, &c->rights,
                          &PyFrozenSet_Type, &c->solid_suffixes)
        || tables_ok(c) < 0)
        return -1;
    memset(c->jtab, 0, sizeof c->jtab);
    c->joining_other = 0;
    Py_ssize_t n = PyUnicode_GET_LENGTH(c->joining);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ_CHAR(c->joining, i);
        if (ch >= 0x600 && ch <= 0x6FF)
            c->jtab[ch - 0x600] = 1;
        else
            c->joining_other = 1;
    }
    if (load_ranges(word_ranges, c->word_lo, c->word_hi, &c->n_word) < 0)
        return -1;
    for (Py_UCS4 ch = 0x600; ch <= 0x6FF; ch++)
        c->wtab[ch - 0x600] = (unsigned char)in_ranges(ch, c->word_lo, c->word_hi, c->n_word);
    if (PyList_GET_SIZE(c->epoch) != 1 || !PyLong_Check(PyList_GET_ITEM(c->epoch, 0))) {
        PyErr_SetString(PyExc_TypeError, "epoch: a list of one int");
        return -1;
    }
    c->edit_tuple = 0;
    if (PyType_Check(c->edit) && PyType_IsSubtype((PyTypeObject *)c->edit, &PyTuple_Type)) {
        PyTypeObject *et = (PyTypeObject *)c->edit;
        PyObject *fields = PyObject_GetAttrString(c->edit, "_fields");
        c->edit_tuple = fields != NULL && PyTuple_Check(fields) && PyTuple_GET_SIZE(fields) == 3
                        && et->tp_basicsize == PyTuple_Type.tp_basicsize && et->tp_itemsize == PyTuple_Type.tp_itemsize;
        Py_XDECREF(fields);
        if (fields == NULL)
            PyErr_Clear();  /* (no _fields: called as any other type) */
    }
    return load_ranges(glue_ranges, c->glue_lo, c->glue_hi, &c->n_glue);
}

static inline int
joining(const Ctx *c, Py_UCS4 ch)
{
    if (ch >= 0x600 && ch <= 0x6FF)
        return c->jtab[ch - 0x600];
    if (ch == 0 || !c->joining_other)
        return 0;
    return PyUnicode_FindChar(c->joining, ch, 0, PyUnicode_GET_LENGTH(c->joining), 1) >= 0;
}

static inline int
in_ranges(Py_UCS4 ch, const Py_UCS4 *lo, const Py_UCS4 *hi, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++)
        if (ch >= lo[i] && ch <= hi[i])
            return 1;
    return 0;
}

static inline int
word_char(const Ctx *c, Py_UCS4 ch)
{
    if (ch >= 0x600 && ch <= 0x6FF)
        return c->wtab[ch - 0x600];
    return in_ranges(ch, c->word_lo, c->word_hi, c->n_word);
}

/* _glued(ch): a word next to ``ch`` is not touched. */
static int
glued(const Ctx *c, Py_UCS4 ch)
{
    if (PyUnicode_FindChar(c->glue, ch, 0, PyUnicode_GET_LENGTH(c->glue), 1) >= 0)
        return 1;
    return Py_UNICODE_ISALNUM(ch) || in_ranges(ch, c->glue_lo, c->glue_hi, c->n_glue);
}

/* -------------------------------------------------------------------------------------------- */
/* Small helpers: a code-point buffer, string tests. */

typedef struct {
    Py_UCS4 *p;
    Py_ssize_t n, cap;
    Py_UCS4 local[256];
} Buf;

static void
buf_init(Buf *b)
{
    b->p = b->local;
    b->n = 0;
    b->cap = 256;
}

static void
buf_free(Buf *b)
{
    if (b->p != b->local)
        PyMem_Free(b->p);
    buf_init(b);
}

static int
buf_reserve(Buf *b, Py_ssize_t more)
{
    if (b->n + more <= b->cap)
        return 0;
    Py_ssize_t cap = b->cap;
    while (cap < b->n + more)
        cap *= 2;
    Py_UCS4 *p;
    if (b->p == b->local) {
        p = PyMem_Malloc(cap * sizeof(Py_UCS4));
        if (p != NULL)
            memcpy(p, b->local, b->n * sizeof(Py_UCS4));
    }
    else {
        p = PyMem_Realloc(b->p, cap * sizeof(Py_UCS4));
    }
    if (p == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

static inline int
buf_put(Buf *b, Py_UCS4 ch)
{
    if (b->n == b->cap && buf_reserve(b, 1) < 0)
        return -1;
    b->p[b->n++] = ch;
    return 0;
}

static int
buf_str(Buf *b, PyObject *s)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    if (buf_reserve(b, n) < 0)
        return -1;
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (Py_ssize_t i = 0; i < n; i++)
        b->p[b->n++] = PyUnicode_READ(kind, data, i);
    return 0;
}

static int
buf_ascii(Buf *b, const char *s)
{
    for (; *s; s++)
        if (buf_put(b, (Py_UCS4)(unsigned char)*s) < 0)
            return -1;
    return 0;
}

/* The buffer as a str (freed either way). */
static PyObject *
buf_done(Buf *b)
{
    PyObject *r = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, b->p, b->n);
    buf_free(b);
    return r;
}

/* a + " " + b */
static PyObject *
two_words(PyObject *a, PyObject *b)
{
    Buf buf;
    buf_init(&buf);
    if (buf_str(&buf, a) < 0 || buf_put(&buf, ' ') < 0 || buf_str(&buf, b) < 0) {
        buf_free(&buf);
        return NULL;
    }
    return buf_done(&buf);
}

static inline int
str_eq(PyObject *a, PyObject *b)
{
    if (a == b)
        return 1;
    Py_ssize_t n = PyUnicode_GET_LENGTH(a);
    if (n != PyUnicode_GET_LENGTH(b))
        return 0;
    if (PyUnicode_KIND(a) == PyUnicode_KIND(b))
        return memcmp(PyUnicode_DATA(a), PyUnicode_DATA(b), n * PyUnicode_KIND(a)) == 0;
    return 0;  /* canonical strs of one length and different kinds differ */
}

/* -------------------------------------------------------------------------------------------- */
/* FNV-1a over code points: the model tables' and the memo's hash of a key, and the filters' hash:
 * a sequence hashed piece by piece (a pair: a, then b) hashes as the joined string does. */
#define FNV_OFFSET 1469598103934665603ULL

static inline uint64_t
fnv_char(uint64_t h, Py_UCS4 ch)
{
    return (h ^ ch) * 1099511628211ULL;
}

static uint64_t
fnv_span(uint64_t h, int kind, const void *data, Py_ssize_t s, Py_ssize_t e)
{
    switch (kind) {  /* (one loop per kind: every table lookup hashes its key) */
    case PyUnicode_1BYTE_KIND:
        for (Py_ssize_t i = s; i < e; i++)
            h = fnv_char(h, ((const Py_UCS1 *)data)[i]);
        break;
    case PyUnicode_2BYTE_KIND:
        for (Py_ssize_t i = s; i < e; i++)
            h = fnv_char(h, ((const Py_UCS2 *)data)[i]);
        break;
    default:
        for (Py_ssize_t i = s; i < e; i++)
            h = fnv_char(h, ((const Py_UCS4 *)data)[i]);
    }
    return h;
}

static uint64_t
hash_span(int kind, const void *data, Py_ssize_t s, Py_ssize_t e)
{
    return fnv_span(FNV_OFFSET, kind, data, s, e);
}

static uint64_t
fnv_str(uint64_t h, PyObject *s)  /* fnv_span over all of s, continuing from h */
{
    return fnv_span(h, PyUnicode_KIND(s), PyUnicode_DATA(s), 0, PyUnicode_GET_LENGTH(s));
}

/* -------------------------------------------------------------------------------------------- */
/* Table: one of the model's big tables (khabar.text.halfspace.unpack), read-only.
 *
 * Table(keys, columns=(), values=None, empty_key=False): the keys are the lines of the str ``keys``
 * (none when it is "" unless empty_key: then the one key ""); each column a buffer of n floats
 * ('f' or 'd'), or values a list of n objects.  As a mapping: ``k in t``, ``t.get(k, default)``,
 * ``t[k]``, ``len(t)``, ``iter(t)`` (the keys), ``t.isdisjoint(items)``; a value is a float (one
 * column), a tuple of floats (several), the object (values), or True (a set: no values).
 *
 * It holds the keys as the one str it was given, the values as doubles, and an open-addressing index
 * (8 bytes a slot: the hash's upper half and the key's number): some 30 bytes a key against 150 for
 * a dict of str and float objects, and a lookup from C reads a key's characters where they lie (a
 * span of a token, a feature in a buffer, two or three strs joined) without making a str of it. */

struct Table {
    PyObject_HEAD
    PyObject *blob;         /* the keys, one a line */
    int kind;
    const void *data;
    Py_ssize_t n;           /* lines of blob */
    Py_ssize_t live;        /* distinct keys (of equal lines, the last one counts) */
    uint32_t *start;        /* n + 1 offsets: key i is blob[start[i]:start[i + 1] - 1] */
    uint64_t *slot;         /* cap slots: 0 empty, else (hash >> 32) << 32 | (key + 1) */
    size_t cap;
    Py_ssize_t width;       /* floats a key */
    double *val;            /* n * width */
    PyObject *values;       /* a tuple of n objects, or NULL */
    char str_values;        /* every value is a str */
};


/* A key made of up to three strs with a separator between them (sep 0: none). */
typedef struct {
    PyObject *part[3];
    int n;
    Py_UCS4 sep;
} Parts;

static uint64_t
parts_hash(const Parts *k)
{
    uint64_t h = FNV_OFFSET;
    for (int p = 0; p < k->n; p++) {
        if (p && k->sep)
            h = fnv_char(h, k->sep);
        h = fnv_str(h, k->part[p]);
    }
    return h;
}

static inline Py_ssize_t
key_len(const Table *t, Py_ssize_t i)
{
    return (Py_ssize_t)t->start[i + 1] - 1 - (Py_ssize_t)t->start[i];
}

/* Whether key i is parts k. */
static int
key_is_parts(const Table *t, Py_ssize_t i, const Parts *k)
{
    Py_ssize_t len = (k->n - 1) * (k->sep != 0);
    for (int p = 0; p < k->n; p++)
        len += PyUnicode_GET_LENGTH(k->part[p]);
    if (len != key_len(t, i))
        return 0;
    Py_ssize_t j = t->start[i];
    for (int p = 0; p < k->n; p++) {
        PyObject *s = k->part[p];
        if (p && k->sep && PyUnicode_READ(t->kind, t->data, j++) != k->sep)
            return 0;
        Py_ssize_t m = PyUnicode_GET_LENGTH(s);
        int sk = PyUnicode_KIND(s);
        const void *sd = PyUnicode_DATA(s);
        if (sk == t->kind) {
            if (memcmp((const char *)t->data + j * sk, sd, m * sk) != 0)
                return 0;
        }
        else {
            for (Py_ssize_t q = 0; q < m; q++)
                if (PyUnicode_READ(sk, sd, q) != PyUnicode_READ(t->kind, t->data, j + q))
                    return 0;
        }
        j += m;
    }
    return 1;
}

/* Whether key i is data[s:e] (of the given kind). */
static int
key_is_span(const Table *t, Py_ssize_t i, int kind, const void *data, Py_ssize_t s, Py_ssize_t e)
{
    if (e - s != key_len(t, i))
        return 0;
    Py_ssize_t j = t->start[i];
    if (kind == t->kind)
        return memcmp((const char *)t->data + j * kind, (const char *)data + s * kind, (e - s) * kind) == 0;
    for (Py_ssize_t q = s; q < e; q++, j++)
        if (PyUnicode_READ(kind, data, q) != PyUnicode_READ(t->kind, t->data, j))
            return 0;
    return 1;
}

#define TABLE_PROBE(t, h, MATCH)                                                           \
    do {                                                                                   \
        uint64_t tag_ = (h) >> 32 << 32;                                                   \
        for (size_t j_ = (size_t)(h) & ((t)->cap - 1);; j_ = (j_ + 1) & ((t)->cap - 1)) {  \
            uint64_t x_ = (t)->slot[j_];                                                   \
            if (x_ == 0)                                                                   \
                return -1;                                                                 \
            Py_ssize_t i_ = (Py_ssize_t)(x_ & 0xFFFFFFFFu) - 1;                            \
            if ((x_ & ~(uint64_t)0xFFFFFFFFu) == tag_ && (MATCH))                          \
                return i_;                                                                 \
        }                                                                                  \
    } while (0)

/* The number of key k (hash h, parts_hash(k)) in t, or -1. */
static Py_ssize_t
table_find_parts(const Table *t, uint64_t h, const Parts *k)
{
    TABLE_PROBE(t, h, key_is_parts(t, i_, k));
}

/* The number of key data[s:e], whose hash_span is h, in t, or -1. */
static Py_ssize_t
table_find_hashed(const Table *t, uint64_t h, int kind, const void *data, Py_ssize_t s, Py_ssize_t e)
{
    TABLE_PROBE(t, h, key_is_span(t, i_, kind, data, s, e));
}

/* The number of key data[s:e] in t, or -1. */
static inline Py_ssize_t
table_find_span(const Table *t, int kind, const void *data, Py_ssize_t s, Py_ssize_t e)
{
    return table_find_hashed(t, hash_span(kind, data, s, e), kind, data, s, e);
}

static inline Py_ssize_t
table_find(const Table *t, PyObject *key)
{
    return table_find_span(t, PyUnicode_KIND(key), PyUnicode_DATA(key), 0, PyUnicode_GET_LENGTH(key));
}

static inline int
table_has(const Table *t, PyObject *key)
{
    return table_find(t, key) >= 0;
}

/* The joined strs a + b (+ c) as a key: its number, or -1. */
static Py_ssize_t
table_find_joined(const Table *t, PyObject *a, Py_UCS4 sep, PyObject *b, PyObject *c)
{
    Parts k = {{a, b, c}, c ? 3 : 2, sep};
    return table_find_parts(t, parts_hash(&k), &k);
}

/* The value of key number i of a table of one column, 0.0 for none (i < 0): d.get(key, 0.0). */
static inline double
table_count(const Table *t, Py_ssize_t i)
{
    return i >= 0 ? t->val[i] : 0.0;
}

/* d.get(key, 0.0) of a table of counts (the model's gap tables). */
static inline double
table_get_count(const Table *t, PyObject *key)
{
    return table_count(t, table_find(t, key));
}

static void
table_dealloc(Table *t)
{
    Py_XDECREF(t->blob);
    Py_XDECREF(t->values);
    PyMem_Free(t->start);
    PyMem_Free(t->slot);
    PyMem_Free(t->val);
    Py_TYPE(t)->tp_free((PyObject *)t);
}

/* Index key i, whose hash is h (the last of equal keys wins, as in a dict built from pairs). */
static void
table_insert(Table *t, Py_ssize_t i, uint64_t h)
{
    Py_ssize_t s = t->start[i], e = t->start[i + 1] - 1;
    uint64_t tag = h >> 32 << 32;
    for (size_t j = (size_t)h & (t->cap - 1);; j = (j + 1) & (t->cap - 1)) {
        uint64_t x = t->slot[j];
        if (x == 0 || ((x & ~(uint64_t)0xFFFFFFFFu) == tag
                       && key_is_span(t, (Py_ssize_t)(x & 0xFFFFFFFFu) - 1, t->kind, t->data, s, e))) {
            t->live += x == 0;
            t->slot[j] = tag | (uint64_t)(i + 1);
            return;
        }
    }
}

/* Whether line i is the key's entry (not an earlier copy of a key given again). */
static inline int
table_is_live(const Table *t, Py_ssize_t i)
{
    return table_find_span(t, t->kind, t->data, t->start[i], t->start[i + 1] - 1) == i;
}

static int
table_column(Table *t, PyObject *col, Py_ssize_t c)
{
    Py_buffer view;
    if (PyObject_GetBuffer(col, &view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0)
        return -1;
    int ok = 0;
    const char *fmt = view.format ? view.format : "B";
    if (fmt[0] == '@' || fmt[0] == '=' || fmt[0] == '<')
        fmt++;
    if ((strcmp(fmt, "f") == 0 && view.itemsize == 4) || (strcmp(fmt, "d") == 0 && view.itemsize == 8)) {
        Py_ssize_t m = view.len / view.itemsize;
        if (m == t->n) {
            for (Py_ssize_t i = 0; i < m; i++)
                t->val[i * t->width + c] = view.itemsize == 4 ? (double)((const float *)view.buf)[i]
                                                              : ((const double *)view.buf)[i];
            ok = 1;
        }
        else {
            PyErr_Format(PyExc_ValueError, "Table: a column of %zd floats for %zd keys", m, t->n);
        }
    }
    else {
        PyErr_SetString(PyExc_TypeError, "Table: a column must be a buffer of floats ('f' or 'd')");
    }
    PyBuffer_Release(&view);
    return ok ? 0 : -1;
}

static PyObject *
table_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"keys", "columns", "values", "empty_key", NULL};
    PyObject *blob, *columns = NULL, *values = Py_None;
    int empty_key = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "U|O!Op:Table", kwlist, &blob, &PyTuple_Type, &columns, &values,
                                     &empty_key))
        return NULL;
    if (values != Py_None && !PyList_Check(values)) {
        PyErr_SetString(PyExc_TypeError, "Table: values must be a list or None");
        return NULL;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(blob);
    if (len >= (Py_ssize_t)UINT32_MAX - 1) {
        PyErr_SetString(PyExc_OverflowError, "Table: keys too long");
        return NULL;
    }
    Table *t = (Table *)type->tp_alloc(type, 0);
    if (t == NULL)
        return NULL;
    t->blob = Py_NewRef(blob);
    t->kind = PyUnicode_KIND(blob);
    t->data = PyUnicode_DATA(blob);
    Py_ssize_t n = len || empty_key;
    switch (t->kind) {  /* (one loop per kind: this runs over every character of the model's keys) */
    case PyUnicode_1BYTE_KIND:
        for (const Py_UCS1 *p = t->data, *end = p + len; (p = memchr(p, '\n', end - p)) != NULL; p++)
            n++;
        break;
    case PyUnicode_2BYTE_KIND:
        for (Py_ssize_t i = 0; i < len; i++)
            n += ((const Py_UCS2 *)t->data)[i] == '\n';
        break;
    default:
        for (Py_ssize_t i = 0; i < len; i++)
            n += ((const Py_UCS4 *)t->data)[i] == '\n';
    }
    t->n = n;
    t->width = columns ? PyTuple_GET_SIZE(columns) : 0;
    t->cap = 16;
    while (t->cap < 2 * (size_t)n + 2)
        t->cap *= 2;
    t->start = PyMem_Malloc((n + 1) * sizeof(uint32_t));
    t->slot = PyMem_Calloc(t->cap, sizeof(uint64_t));
    t->val = PyMem_Malloc((n * t->width + 1) * sizeof(double));
    uint64_t *hash = PyMem_Malloc((n + 1) * sizeof(uint64_t));  /* each key's, taken in the same pass */
    if (t->start == NULL || t->slot == NULL || t->val == NULL || hash == NULL) {
        PyMem_Free(hash);
        Py_DECREF(t);
        return PyErr_NoMemory();
    }
    Py_ssize_t k = 0;
    uint64_t h = FNV_OFFSET;
    t->start[0] = 0;
    for (Py_ssize_t i = 0; i < len && n; i++) {
        Py_UCS4 ch = PyUnicode_READ(t->kind, t->data, i);
        if (ch == '\n') {
            hash[k] = h;
            h = FNV_OFFSET;
            t->start[++k] = (uint32_t)(i + 1);
        }
        else {
            h = fnv_char(h, ch);
        }
    }
    hash[k] = h;  /* the last key's (or the empty key's) */
    t->start[n] = (uint32_t)(len + 1);
    for (Py_ssize_t c = 0; c < t->width; c++)
        if (table_column(t, PyTuple_GET_ITEM(columns, c), c) < 0)
            goto error;
    if (values != Py_None) {
        t->values = PyList_AsTuple(values);  /* its own: the caller's list may change */
        if (t->values == NULL)
            goto error;
        if (PyTuple_GET_SIZE(t->values) != n || t->width) {
            PyErr_SetString(PyExc_ValueError, "Table: one value a key, and no columns with values");
            goto error;
        }
        t->str_values = 1;
        for (Py_ssize_t i = 0; i < n; i++)
            t->str_values = t->str_values && PyUnicode_Check(PyTuple_GET_ITEM(t->values, i));
    }
    for (Py_ssize_t i = 0; i < n; i++)
        table_insert(t, i, hash[i]);
    PyMem_Free(hash);
    return (PyObject *)t;
error:
    PyMem_Free(hash);
    Py_DECREF(t);
    return NULL;
}

/* Whether ctx's tables have the values it reads (a float a key, two for the contexts, strs for forms). */
static int
tables_ok(const Ctx *c)
{
    const Table *counts[] = {c->uni, c->gap_ws, c->gap_t, c->gap_h, c->gap_r, c->bi};
    int ok = c->lm_ctx->width == 2 && c->forms->values != NULL && c->forms->str_values;
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
        ok = ok && counts[i]->width == 1;
    if (!ok)
        PyErr_SetString(PyExc_TypeError, "ctx: a model table without the values read from it");
    return ok ? 0 : -1;
}

/* The value of key i (a new reference). */
static PyObject *
table_value(const Table *t, Py_ssize_t i)
{
    if (t->values != NULL)
        return Py_NewRef(PyTuple_GET_ITEM(t->values, i));
    if (t->width == 0)
        Py_RETURN_TRUE;
    if (t->width == 1)
        return PyFloat_FromDouble(t->val[i]);
    PyObject *tup = PyTuple_New(t->width);
    for (Py_ssize_t c = 0; tup != NULL && c < t->width; c++) {
        PyObject *f = PyFloat_FromDouble(t->val[i * t->width + c]);
        if (f == NULL)
            Py_CLEAR(tup);
        else
            PyTuple_SET_ITEM(tup, c, f);
    }
    return tup;
}

/* key's number, -1 when absent; a key that is not a str is absent (but unhashable ones raise: -2). */
static Py_ssize_t
table_lookup(const Table *t, PyObject *key)
{
    if (PyUnicode_Check(key))
        return table_find(t, key);
    return PyObject_Hash(key) == -1 ? -2 : -1;
}

static int
table_contains(PyObject *self, PyObject *key)
{
    Py_ssize_t i = table_lookup((Table *)self, key);
    return i == -2 ? -1 : i >= 0;
}

static PyObject *
table_subscript(PyObject *self, PyObject *key)
{
    Py_ssize_t i = table_lookup((Table *)self, key);
    if (i == -2)
        return NULL;
    if (i < 0) {
        PyErr_SetObject(PyExc_KeyError, key);
        return NULL;
    }
    return table_value((Table *)self, i);
}

static PyObject *
table_get(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1 || nargs > 2) {
        PyErr_SetString(PyExc_TypeError, "get(key, default=None)");
        return NULL;
    }
    Py_ssize_t i = table_lookup((Table *)self, args[0]);
    if (i == -2)
        return NULL;
    if (i < 0)
        return Py_NewRef(nargs == 2 ? args[1] : Py_None);
    return table_value((Table *)self, i);
}

static PyObject *
table_keys_list(const Table *t)
{
    PyObject *l = PyList_New(t->live);
    for (Py_ssize_t i = 0, k = 0; l != NULL && i < t->n; i++) {
        if (!table_is_live(t, i))
            continue;
        PyObject *key = PyUnicode_Substring(t->blob, t->start[i], t->start[i + 1] - 1);
        if (key == NULL)
            Py_CLEAR(l);
        else
            PyList_SET_ITEM(l, k++, key);
    }
    return l;
}

static PyObject *
table_iter(PyObject *self)
{
    PyObject *l = table_keys_list((Table *)self);
    if (l == NULL)
        return NULL;
    PyObject *it = PyObject_GetIter(l);
    Py_DECREF(l);
    return it;
}

static PyObject *
table_isdisjoint(PyObject *self, PyObject *items)
{
    PyObject *it = PyObject_GetIter(items), *x;
    if (it == NULL)
        return NULL;
    while ((x = PyIter_Next(it)) != NULL) {
        int r = table_contains(self, x);
        Py_DECREF(x);
        if (r != 0) {
            Py_DECREF(it);
            return r < 0 ? NULL : Py_NewRef(Py_False);
        }
    }
    Py_DECREF(it);
    return PyErr_Occurred() ? NULL : Py_NewRef(Py_True);
}

static Py_ssize_t
table_len(PyObject *self)
{
    return ((Table *)self)->live;
}

/* __reduce__: Table(keys, columns (array('d')s), values (a list), empty_key), for pickle and copy. */
static PyObject *
table_reduce(PyObject *self, PyObject *noargs)
{
    Table *t = (Table *)self;
    PyObject *array = PyImport_ImportModule("array"), *columns = PyTuple_New(t->width), *values = NULL, *r = NULL;
    if (array == NULL || columns == NULL)
        goto done;
    for (Py_ssize_t c = 0; c < t->width; c++) {
        double *col = PyMem_Malloc((t->n + 1) * sizeof(double));
        if (col == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        for (Py_ssize_t i = 0; i < t->n; i++)
            col[i] = t->val[i * t->width + c];
        PyObject *b = PyBytes_FromStringAndSize((const char *)col, t->n * (Py_ssize_t)sizeof(double));
        PyMem_Free(col);
        PyObject *a = b ? PyObject_CallMethod(array, "array", "sO", "d", b) : NULL;
        Py_XDECREF(b);
        if (a == NULL)
            goto done;
        PyTuple_SET_ITEM(columns, c, a);
    }
    values = t->values ? PySequence_List(t->values) : Py_NewRef(Py_None);
    if (values != NULL)
        r = Py_BuildValue("O(OOOO)", (PyObject *)Py_TYPE(self), t->blob, columns, values,
                          t->n == 1 && PyUnicode_GET_LENGTH(t->blob) == 0 ? Py_True : Py_False);
done:
    Py_XDECREF(array);
    Py_XDECREF(columns);
    Py_XDECREF(values);
    return r;
}

/* _has_joined(a, b, c=None, sep=""): whether sep.join of the strs is a key, looked up as the run loops
 * look up joined pieces (table_find_joined: without making the str); for tests. */
static PyObject *
table_has_joined(PyObject *self, PyObject *args)
{
    PyObject *a, *b, *c = Py_None, *sep = NULL;
    if (!PyArg_ParseTuple(args, "UU|OU:_has_joined", &a, &b, &c, &sep))
        return NULL;
    if (c != Py_None && !PyUnicode_Check(c)) {
        PyErr_SetString(PyExc_TypeError, "_has_joined: c must be a str or None");
        return NULL;
    }
    if (sep != NULL && PyUnicode_GET_LENGTH(sep) > 1) {
        PyErr_SetString(PyExc_ValueError, "_has_joined: sep must be one character or none");
        return NULL;
    }
    Py_UCS4 ch = sep != NULL && PyUnicode_GET_LENGTH(sep) ? PyUnicode_READ_CHAR(sep, 0) : 0;
    return PyBool_FromLong(table_find_joined((Table *)self, a, ch, b, c == Py_None ? NULL : c) >= 0);
}

static PyMethodDef table_methods[] = {
    {"get", (PyCFunction)(void (*)(void))table_get, METH_FASTCALL, "get(key, default=None)"},
    {"isdisjoint", table_isdisjoint, METH_O, "isdisjoint(items): whether no item is a key"},
    {"__reduce__", table_reduce, METH_NOARGS, "for pickle and copy"},
    {"_has_joined", table_has_joined, METH_VARARGS, "_has_joined(a, b, c=None, sep=''): sep.join(...) in t"},
    {NULL, NULL, 0, NULL},
};

static PySequenceMethods table_as_sequence = {.sq_contains = table_contains};
static PyMappingMethods table_as_mapping = {.mp_length = table_len, .mp_subscript = table_subscript};

static PyTypeObject TableType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "khabar.text._halfspace.Table",
    .tp_basicsize = sizeof(Table),
    .tp_dealloc = (destructor)table_dealloc,
    .tp_as_sequence = &table_as_sequence,
    .tp_as_mapping = &table_as_mapping,
    .tp_iter = table_iter,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A read-only str-keyed table of the half-space model (see _halfspace.c).",
    .tp_methods = table_methods,
    .tp_new = table_new,
};

static inline Py_ssize_t
find_zwnj(PyObject *s, Py_ssize_t start, Py_ssize_t end, int direction)
{
    if (start >= end)
        return -1;
    return PyUnicode_FindChar(s, ZWNJ, start, end, direction);
}

/* The piece of s after its last ZWNJ (last = 1) or before its first one (last = 0); s itself without one. */
static PyObject *
end_piece(PyObject *s, int last)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    Py_ssize_t k = find_zwnj(s, 0, n, last ? -1 : 1);
    if (k == -2)
        return NULL;
    if (k < 0)
        return Py_NewRef(s);
    return last ? PyUnicode_Substring(s, k + 1, n) : PyUnicode_Substring(s, 0, k);
}

/* skeleton(word): the word with its ZWNJs taken out. */
static PyObject *
skeleton(PyObject *s)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    Py_ssize_t k = find_zwnj(s, 0, n, 1);
    if (k == -2)
        return NULL;
    if (k < 0)
        return Py_NewRef(s);
    Buf b;
    buf_init(&b);
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch != ZWNJ && buf_put(&b, ch) < 0) {
            buf_free(&b);
            return NULL;
        }
    }
    return buf_done(&b);
}

/* _zwnj_at(form) as flags: want[j] for the letter counts j before a ZWNJ. */
typedef struct {
    unsigned char *m;
    Py_ssize_t n;
    unsigned char local[256];
} Want;

static void
want_free(Want *w)
{
    if (w->m != w->local)
        PyMem_Free(w->m);
    w->m = w->local;
}

static int
want_init(Want *w, Py_ssize_t letters)
{
    w->n = letters + 1;
    w->m = w->n <= (Py_ssize_t)sizeof w->local ? w->local : PyMem_Malloc(w->n);
    if (w->m == NULL) {
        w->m = w->local;
        PyErr_NoMemory();
        return -1;
    }
    memset(w->m, 0, w->n);
    return 0;
}

static Py_ssize_t
letters(PyObject *s)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(s), j = 0;
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (Py_ssize_t i = 0; i < n; i++)
        j += PyUnicode_READ(kind, data, i) != ZWNJ;
    return j;
}

static void
want_mark(Want *w, PyObject *s)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(s), j = 0;
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (PyUnicode_READ(kind, data, i) == ZWNJ) {
            if (j < w->n)
                w->m[j] = 1;
        }
        else {
            j++;
        }
    }
}

static inline int
want_has(const Want *w, Py_ssize_t j)
{
    return j < w->n && w->m[j];
}

/* -------------------------------------------------------------------------------------------- */
/* Words: (length in tokens, form), forms held. */

typedef struct {
    Py_ssize_t k;
    PyObject *form;
} Word;

typedef struct {
    Word *w;
    Py_ssize_t n, cap;
} Words;

static void
words_clear(Words *ws)
{
    for (Py_ssize_t i = 0; i < ws->n; i++)
        Py_DECREF(ws->w[i].form);
    PyMem_Free(ws->w);
    ws->w = NULL;
    ws->n = ws->cap = 0;
}

/* A growing array with room for one more item (n used of *cap): items itself, or a new block twice
 * the size (first items for an empty one) and *cap updated; NULL (items untouched) without memory. */
static void *
grown(void *items, Py_ssize_t *cap, Py_ssize_t n, size_t size, Py_ssize_t first)
{
    if (n < *cap)
        return items;
    Py_ssize_t c = *cap ? *cap * 2 : first;
    void *p = PyMem_Realloc(items, c * size);
    if (p == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    *cap = c;
    return p;
}

/* Append (k, form), taking a new reference to form. */
static int
words_add(Words *ws, Py_ssize_t k, PyObject *form)
{
    Word *p = grown(ws->w, &ws->cap, ws->n, sizeof(Word), 16);
    if (p == NULL)
        return -1;
    ws->w = p;
    ws->w[ws->n].k = k;
    ws->w[ws->n].form = Py_NewRef(form);
    ws->n++;
    return 0;
}

/* Python's (k, form) tuple of a cached cluster, appended. */
static int
words_extend_list(Words *ws, PyObject *list)
{
    if (!PyTuple_Check(list)) {
        PyErr_SetString(PyExc_TypeError, "a cluster's words must be a tuple");
        return -1;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(list); i++) {
        PyObject *t = PyTuple_GET_ITEM(list, i);
        if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != 2 || !PyLong_Check(PyTuple_GET_ITEM(t, 0))
            || !PyUnicode_Check(PyTuple_GET_ITEM(t, 1))) {
            PyErr_SetString(PyExc_TypeError, "a cluster's word must be (int, str)");
            return -1;
        }
        Py_ssize_t k = PyLong_AsSsize_t(PyTuple_GET_ITEM(t, 0));
        if (k == -1 && PyErr_Occurred())
            return -1;
        if (words_add(ws, k, PyTuple_GET_ITEM(t, 1)) < 0)
            return -1;
    }
    return 0;
}

/* Checks that the words' lengths add up to n tokens (so no index below runs past a run). */
static int
words_cover(const Words *ws, Py_ssize_t n)
{
    Py_ssize_t s = 0;
    for (Py_ssize_t i = 0; i < ws->n; i++) {
        if (ws->w[i].k < 1 || ws->w[i].k > n - s) {
            PyErr_SetString(PyExc_ValueError, "half-space words do not cover their run");
            return -1;
        }
        s += ws->w[i].k;
    }
    if (s != n) {
        PyErr_SetString(PyExc_ValueError, "half-space words do not cover their run");
        return -1;
    }
    return 0;
}

/* -------------------------------------------------------------------------------------------- */
/* Token info: Restorer.token_info's tuple, checked once and unpacked. */

typedef struct {
    PyObject *tup;      /* held */
    PyObject *skel;     /* [0] */
    Py_ssize_t pieces;  /* [1] */
    char pre, suf, left, right, lf, rf;  /* [2] [3] [4] [5] [7] [8] */
    PyObject *form;     /* [6] when true (a non-empty str), else NULL */
} Info;

static int
info_fill(Info *x, PyObject *tup)
{
    if (!PyTuple_Check(tup) || PyTuple_GET_SIZE(tup) != 9) {
        PyErr_SetString(PyExc_TypeError, "token info must be a tuple of 9");
        return -1;
    }
    PyObject *sk = PyTuple_GET_ITEM(tup, 0), *np = PyTuple_GET_ITEM(tup, 1), *f = PyTuple_GET_ITEM(tup, 6);
    if (!PyUnicode_Check(sk) || !PyLong_Check(np) || !(f == Py_None || PyUnicode_Check(f))) {
        PyErr_SetString(PyExc_TypeError, "token info: bad field types");
        return -1;
    }
    static const int bools[6] = {2, 3, 4, 5, 7, 8};
    char v[6];
    for (int i = 0; i < 6; i++) {
        PyObject *b = PyTuple_GET_ITEM(tup, bools[i]);
        if (!PyBool_Check(b)) {
            PyErr_SetString(PyExc_TypeError, "token info: flags must be bools");
            return -1;
        }
        v[i] = b == Py_True;
    }
    x->pieces = PyLong_AsSsize_t(np);
    if (x->pieces == -1 && PyErr_Occurred())
        return -1;
    x->tup = Py_NewRef(tup);
    x->skel = sk;
    x->pre = v[0];
    x->suf = v[1];
    x->left = v[2];
    x->right = v[3];
    x->lf = v[4];
    x->rf = v[5];
    x->form = (f != Py_None && PyUnicode_GET_LENGTH(f) > 0) ? f : NULL;
    return 0;
}

static void
infos_free(Info *info, Py_ssize_t n)
{
    if (info == NULL)
        return;
    for (Py_ssize_t i = 0; i < n; i++)
        Py_XDECREF(info[i].tup);
    PyMem_Free(info);
}

static int word_flags(const Ctx *c, PyObject *word, char *lf, char *rf);

/* Whether the space between before (ending in a letter that does not join) and suffix may be taken away, as
 * Restorer._dp asks: one of Restorer._solid_suffixes after a word of two letters or more.  1 yes, 0 no, -1 error. */
static int
solid_suffix(const Ctx *c, PyObject *before, PyObject *suffix)
{
    return PyUnicode_GET_LENGTH(before) < 2 ? 0 : PySet_Contains(c->solid_suffixes, suffix);
}

/* Restorer.candidate's first case for tokens toks[0..k): their joined skeleton (*w, new) is a known
 * word whose form (*form, new) puts a ZWNJ at every
 * piece boundary, a ZWNJ in a token or the space between two, after a joining letter (_merge_ok over
 * the tokens' pieces; nothing to check for one token without a ZWNJ).  1 yes, 0 no, -1 error.  *lp: the
 * word's log probability. */
static int
known_reading(const Ctx *c, PyObject **toks, Py_ssize_t k, PyObject **w, PyObject **form, double *lp)
{
    if (k == 1) {
        *w = skeleton(toks[0]);
    }
    else {
        Buf b;
        buf_init(&b);
        for (Py_ssize_t t = 0; t < k; t++) {
            PyObject *sk = skeleton(toks[t]);
            int bad = sk == NULL || buf_str(&b, sk) < 0;
            Py_XDECREF(sk);
            if (bad) {
                buf_free(&b);
                return -1;
            }
        }
        *w = buf_done(&b);
    }
    if (*w == NULL)
        return -1;
    Py_ssize_t i = table_find(c->uni, *w);
    if (i < 0) {
        Py_CLEAR(*w);
        return 0;
    }
    *lp = c->uni->val[i];
    i = table_find(c->forms, *w);  /* Restorer.form(w) of a known word */
    *form = Py_NewRef(i >= 0 ? PyTuple_GET_ITEM(c->forms->values, i) : *w);
    Want want;
    if (want_init(&want, letters(*form)) < 0) {
        Py_CLEAR(*form);
        Py_CLEAR(*w);
        return -1;
    }
    want_mark(&want, *form);
    Py_ssize_t j = 0;
    int ok = 1;
    for (Py_ssize_t t = 0; t < k && ok; t++) {
        PyObject *tok = toks[t];
        Py_ssize_t n = PyUnicode_GET_LENGTH(tok);
        int kind = PyUnicode_KIND(tok);
        const void *data = PyUnicode_DATA(tok);
        Py_UCS4 last = 0;  /* the last letter of the piece so far (0: an empty piece) */
        for (Py_ssize_t i = 0; i < n && ok; i++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, i);
            if (ch != ZWNJ) {
                last = ch;
                j++;
                continue;
            }
            ok = !(last && joining(c, last) && !want_has(&want, j));
            last = 0;
        }
        if (t < k - 1)
            ok = ok && !(last && joining(c, last) && !want_has(&want, j));
    }
    want_free(&want);
    if (!ok) {
        Py_CLEAR(*form);
        Py_CLEAR(*w);
    }
    return ok;
}

/* Restorer.token_info for its commonest case (Restorer._known_alone): a token whose skeleton is a known
 * word and whose ZWNJs that word's form keeps.  Builds the same tuple with the same side effects (the
 * candidate cache, the side cache through word_flags, the token cache, the inert and sideless sets).
 * A token already in the cache (a second copy in the same run) gets its cached info, as token_info
 * gives it.  Sets *out to a new reference, or leaves it NULL when the token needs Python: not such a
 * word, or a full token cache (Python clears it and counts up its epoch).  The model's tables are never
 * changed, so what is borrowed from them stays valid. */
static int
token_info_known(const Ctx *c, PyObject *tok, PyObject **out)
{
    *out = NULL;
    PyObject *cached = PyDict_GetItemWithError(c->tok_cache, tok);  /* a second copy of a token of the run */
    if (cached != NULL) {
        *out = Py_NewRef(cached);
        return 0;
    }
    if (PyErr_Occurred())
        return -1;
    if (PyDict_GET_SIZE(c->tok_cache) > c->cache_size)
        return 0;
    PyObject *w, *form;
    double lp;
    int known = known_reading(c, &tok, 1, &w, &form, &lp);
    if (known <= 0)
        return known;
    Py_ssize_t n = PyUnicode_GET_LENGTH(tok), zwnjs = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        zwnjs += PyUnicode_READ_CHAR(tok, i) == ZWNJ;
    Want mine;
    mine.m = mine.local;
    /* the candidate cache, as Restorer.candidate fills it */
    PyObject *cand = Py_BuildValue("(dO)", lp, form);
    if (cand == NULL)
        goto error_form;
    if (PyDict_GET_SIZE(c->cand_cache) > c->cache_size)
        PyDict_Clear(c->cand_cache);
    int r = PyDict_SetItem(c->cand_cache, tok, cand);
    Py_DECREF(cand);
    if (r < 0)
        goto error_form;
    char lf, rf;
    if (word_flags(c, tok, &lf, &rf) < 0)
        goto error_form;
    int pre = PyDict_Contains(c->prefixes, w), suf = PyDict_Contains(c->suffixes, w);
    int left = table_has(c->lefts, w), right = table_has(c->rights, w);
    if (pre < 0 || suf < 0)
        goto error_form;
    int same = str_eq(form, tok);
    PyObject *info = PyTuple_New(9), *count = PyLong_FromSsize_t(zwnjs + 1);
    if (info == NULL || count == NULL) {
        Py_XDECREF(info);
        Py_XDECREF(count);
        goto error_form;
    }
    PyObject *fields[9] = {Py_NewRef(w), count, PyBool_FromLong(pre), PyBool_FromLong(suf), PyBool_FromLong(left),
                           PyBool_FromLong(right), Py_NewRef(same ? Py_None : form), PyBool_FromLong(lf),
                           PyBool_FromLong(rf)};
    for (int i = 0; i < 9; i++)
        PyTuple_SET_ITEM(info, i, fields[i]);
    if (PyDict_SetItem(c->tok_cache, tok, info) < 0)
        goto error_info;
    /* inert: form == tok, or the form is the token's letters with only ZWNJs the token has */
    int inert = same;
    if (!inert) {
        PyObject *fs = skeleton(form);
        if (fs == NULL)
            goto error_info;
        inert = str_eq(fs, w);
        Py_DECREF(fs);
        if (inert) {
            if (want_init(&mine, letters(tok)) < 0)
                goto error_info;
            want_mark(&mine, tok);
            Py_ssize_t fn = PyUnicode_GET_LENGTH(form), j = 0;
            int fk = PyUnicode_KIND(form);
            const void *fd = PyUnicode_DATA(form);
            for (Py_ssize_t i = 0; i < fn && inert; i++) {
                if (PyUnicode_READ(fk, fd, i) != ZWNJ)
                    j++;
                else if (!want_has(&mine, j))
                    inert = 0;
            }
            want_free(&mine);
        }
    }
    if ((inert && PySet_Add(c->inert, tok) < 0) || (!(lf || rf) && PySet_Add(c->sideless, tok) < 0))
        goto error_info;
    Py_DECREF(form);
    Py_DECREF(w);
    *out = info;
    return 0;
error_info:
    Py_DECREF(info);
error_form:
    Py_DECREF(form);
    Py_DECREF(w);
    return -1;
}

/* What the fast path asks about one token of a run (new references). */
typedef struct {
    PyObject *tok, *skel, *info;  /* info NULL: not in the token cache when asked */
    Py_ssize_t gen;
    char inert, sideless, affix;
} TokFacts;

/* Restorer._infos: each token's info from the run's facts (``tf``, whose info the memo looked up when the
 * token cache had it) or else from the cache, then token_info for those missing, in order (as Python does:
 * all lookups before the first call). */
static Info *
infos_get(const Ctx *c, PyObject **toks, Py_ssize_t n, const TokFacts *tf)
{
    Info *info = PyMem_Calloc(n ? n : 1, sizeof(Info));
    if (info == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = tf[i].info;
        if (t == NULL) {
            t = PyDict_GetItemWithError(c->tok_cache, toks[i]);
            if (t == NULL && PyErr_Occurred())
                goto error;
        }
        if (t != NULL && info_fill(&info[i], t) < 0)
            goto error;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (info[i].tup != NULL)
            continue;
        PyObject *t;
        if (token_info_known(c, toks[i], &t) < 0)
            goto error;
        if (t == NULL)
            t = PyObject_CallOneArg(c->token_info, toks[i]);
        if (t == NULL)
            goto error;
        int r = info_fill(&info[i], t);
        Py_DECREF(t);
        if (r < 0)
            goto error;
    }
    return info;
error:
    infos_free(info, n);
    return NULL;
}

/* ``info[i][6] or tokens[i]`` (borrowed). */
static inline PyObject *
form_or_token(const Info *info, PyObject **toks, Py_ssize_t i)
{
    return info[i].form ? info[i].form : toks[i];
}

/* -------------------------------------------------------------------------------------------- */
/* The gap classifier's reads. */

/* _gap_context(words, i): x, y, before, after (new references). */
static int
gap_context(PyObject **W, Py_ssize_t nw, Py_ssize_t i, PyObject **x, PyObject **y, PyObject **before,
            PyObject **after)
{
    *x = *y = *before = *after = NULL;
    PyObject *L = W[i], *R = W[i + 1];
    Py_ssize_t nl = PyUnicode_GET_LENGTH(L), nr = PyUnicode_GET_LENGTH(R);
    Py_ssize_t kl = find_zwnj(L, 0, nl, -1);
    Py_ssize_t kr = find_zwnj(R, 0, nr, 1);
    if (kl == -2 || kr == -2)
        return -1;
    if (kl < 0) {
        *x = Py_NewRef(L);
        *before = i > 0 ? end_piece(W[i - 1], 1) : Py_NewRef(EMPTY);
    }
    else {
        Py_ssize_t kb = find_zwnj(L, 0, kl, -1);
        if (kb == -2)
            return -1;
        *x = PyUnicode_Substring(L, kl + 1, nl);
        *before = PyUnicode_Substring(L, kb + 1, kl);
    }
    if (kr < 0) {
        *y = Py_NewRef(R);
        *after = i + 2 < nw ? end_piece(W[i + 2], 0) : Py_NewRef(EMPTY);
    }
    else {
        Py_ssize_t ka = find_zwnj(R, kr + 1, nr, 1);
        if (ka == -2)
            ka = -1;  /* (cannot fail: R is a str) */
        *y = PyUnicode_Substring(R, 0, kr);
        *after = PyUnicode_Substring(R, kr + 1, ka < 0 ? nr : ka);
    }
    if (*x == NULL || *y == NULL || *before == NULL || *after == NULL) {
        Py_CLEAR(*x);
        Py_CLEAR(*y);
        Py_CLEAR(*before);
        Py_CLEAR(*after);
        return -1;
    }
    return 0;
}

static void
context_free(PyObject *x, PyObject *y, PyObject *before, PyObject *after)
{
    Py_XDECREF(x);
    Py_XDECREF(y);
    Py_XDECREF(before);
    Py_XDECREF(after);
}

/* z += gap_ws.get(feature) for the feature built in b (freed). */
static int
add_weight(const Ctx *c, Buf *b, double *z)
{
    Py_ssize_t i = table_find_span(c->gap_ws, PyUnicode_4BYTE_KIND, b->p, 0, b->n);
    buf_free(b);
    if (i >= 0)
        *z += c->gap_ws->val[i];
    return 0;
}

static int bucket(double x);
static void add_ascii_weight(const Ctx *c, const char *feature, double *z);

/* Append s[start:end] (Python slice bounds, clamped) to the buffer. */
static int
buf_slice(Buf *b, PyObject *s, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    if (start < 0)
        start = start + n < 0 ? 0 : start + n;
    if (end > n)
        end = n;
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (Py_ssize_t i = start; i < end; i++)
        if (buf_put(b, PyUnicode_READ(kind, data, i)) < 0)
            return -1;
    return 0;
}

/* z += gap_ws.get(head + s[start:end] + tail) (head and tail ASCII). */
static int
add_slice_weight(const Ctx *c, const char *head, PyObject *s, Py_ssize_t start, Py_ssize_t end, const char *tail,
                 double *z)
{
    Buf b;
    buf_init(&b);
    if (buf_ascii(&b, head) < 0 || buf_slice(&b, s, start, end) < 0 || buf_ascii(&b, tail) < 0) {
        buf_free(&b);
        return -1;
    }
    return add_weight(c, &b, z);
}

/* side_scores(gap_ws, gap_t, gap_h, gap_r, piece): the weights of left_features and right_features,
 * summed in their order. */
static int
side_scores(const Ctx *c, PyObject *x, double *sx, double *sy)
{
    double t = table_get_count(c->gap_t, x), h = table_get_count(c->gap_h, x), r = table_get_count(c->gap_r, x);
    Py_ssize_t n = PyUnicode_GET_LENGTH(x), big = PY_SSIZE_T_MAX;
    int bt = bucket(t), bh = bucket(h), br = bucket(r);
    char f[5][32];
    snprintf(f[0], sizeof f[0], "lx=%d", (int)(n < 6 ? n : 6));
    snprintf(f[1], sizeof f[1], "tx=%d", bt);
    snprintf(f[2], sizeof f[2], "hx=%d", bh);
    snprintf(f[3], sizeof f[3], "txhx=%d%d", bt, bh);
    snprintf(f[4], sizeof f[4], "%d", bt);
    double z = 0.0;
    if (add_slice_weight(c, "x=", x, 0, big, "", &z) < 0 || add_slice_weight(c, "x1=", x, -1, big, "", &z) < 0
        || add_slice_weight(c, "x2=", x, -2, big, "", &z) < 0 || add_slice_weight(c, "x3=", x, -3, big, "", &z) < 0)
        return -1;
    for (int k = 0; k < 4; k++)  /* (in feature order: the sums must come out as Python's) */
        add_ascii_weight(c, f[k], &z);
    if (add_slice_weight(c, "x3tx=", x, -3, big, f[4], &z) < 0)
        return -1;
    *sx = z;
    snprintf(f[0], sizeof f[0], "ly=%d", (int)(n < 6 ? n : 6));
    snprintf(f[1], sizeof f[1], "ty=%d", bt);
    snprintf(f[2], sizeof f[2], "ry=%d", br);
    snprintf(f[3], sizeof f[3], "tyry=%d%d", bt, br);
    z = 0.0;
    if (add_slice_weight(c, "y=", x, 0, big, "", &z) < 0 || add_slice_weight(c, "y1=", x, 0, 1, "", &z) < 0
        || add_slice_weight(c, "y2=", x, 0, 2, "", &z) < 0 || add_slice_weight(c, "y3=", x, 0, 3, "", &z) < 0
        || add_slice_weight(c, "ye1=", x, -1, big, "", &z) < 0 || add_slice_weight(c, "ye2=", x, -2, big, "", &z) < 0
        || add_slice_weight(c, "ye3=", x, -3, big, "", &z) < 0)
        return -1;
    for (int k = 0; k < 4; k++)
        add_ascii_weight(c, f[k], &z);
    if (add_slice_weight(c, "y3ty=", x, 0, 3, f[4], &z) < 0)
        return -1;
    *sy = z;
    return 0;
}

/* Restorer.side(piece): its one-sided scores, from the cache or computed (side_scores) and cached. */
static int
side_get(const Ctx *c, PyObject *piece, double *sx, double *sy)
{
    PyObject *s = PyDict_GetItemWithError(c->side_cache, piece);
    if (s == NULL) {
        if (PyErr_Occurred() || side_scores(c, piece, sx, sy) < 0)
            return -1;
        PyObject *a = PyFloat_FromDouble(*sx), *b = a ? PyFloat_FromDouble(*sy) : NULL;
        s = b ? PyTuple_Pack(2, a, b) : NULL;
        Py_XDECREF(a);
        Py_XDECREF(b);
        if (s == NULL)
            return -1;
        if (PyDict_GET_SIZE(c->side_cache) > c->cache_size)
            PyDict_Clear(c->side_cache);
        int r = PyDict_SetItem(c->side_cache, piece, s);
        Py_DECREF(s);
        return r;
    }
    if (!PyTuple_Check(s) || PyTuple_GET_SIZE(s) != 2) {
        PyErr_SetString(PyExc_TypeError, "side scores must be a pair");
        return -1;
    }
    *sx = PyFloat_AsDouble(PyTuple_GET_ITEM(s, 0));
    *sy = PyFloat_AsDouble(PyTuple_GET_ITEM(s, 1));
    return PyErr_Occurred() ? -1 : 0;
}

/* _bucket(c) */
static int
bucket(double x)
{
    return x <= 0 ? 0 : x <= 1 ? 1 : x <= 3 ? 2 : x <= 9 ? 3 : x <= 99 ? 4 : 5;
}

/* z += gap_ws.get(feature) for an ASCII feature (looked up as it is: a table compares code points). */
static void
add_ascii_weight(const Ctx *c, const char *feature, double *z)
{
    Py_ssize_t i = table_find_span(c->gap_ws, PyUnicode_1BYTE_KIND, feature, 0, (Py_ssize_t)strlen(feature));
    if (i >= 0)
        *z += c->gap_ws->val[i];
}

/* Restorer._pair_z(x, y): the side scores and pair_features of a gap, cached under key ("x y"). */
static int
pair_z(const Ctx *c, PyObject *x, PyObject *y, PyObject *key, double *out)
{
    double sx, sy, d;
    if (side_get(c, x, &sx, &d) < 0 || side_get(c, y, &d, &sy) < 0)
        return -1;
    double z = sx + sy;
    double tx = table_get_count(c->gap_t, x), ty = table_get_count(c->gap_t, y), hx = table_get_count(c->gap_h, x),
           ry = table_get_count(c->gap_r, y), txy = table_count(c->gap_t, table_find_joined(c->gap_t, x, 0, y, NULL));
    /* pair_features: "b", "txy=", "txty=", "hxry=" */
    char f[3][32];
    snprintf(f[0], sizeof f[0], "txy=%d", bucket(txy));
    snprintf(f[1], sizeof f[1], "txty=%d%d", bucket(tx), bucket(ty));
    snprintf(f[2], sizeof f[2], "hxry=%d%d", bucket(hx), bucket(ry));
    add_ascii_weight(c, "b", &z);
    for (int k = 0; k < 3; k++)
        add_ascii_weight(c, f[k], &z);
    PyObject *zf = PyFloat_FromDouble(z);
    if (zf == NULL)
        return -1;
    if (PyDict_GET_SIZE(c->pair_cache) > c->cache_size)
        PyDict_Clear(c->pair_cache);
    int r = PyDict_SetItem(c->pair_cache, key, zf);
    Py_DECREF(zf);
    *out = z;
    return r;
}

/* Restorer.spaced_p(x, y, before, after). */
static int
spaced_p(const Ctx *c, PyObject *x, PyObject *y, PyObject *before, PyObject *after, double *p)
{
    Buf b;
    PyObject *key = two_words(x, y);
    if (key == NULL)
        return -1;
    PyObject *v = PyDict_GetItemWithError(c->pair_cache, key);
    double z;
    if (v != NULL) {
        z = PyFloat_AsDouble(v);
        Py_DECREF(key);
        if (z == -1.0 && PyErr_Occurred())
            return -1;
    }
    else {
        int r = PyErr_Occurred() ? -1 : pair_z(c, x, y, key, &z);
        Py_DECREF(key);
        if (r < 0)
            return -1;
    }
    /* context_features: "p=" before, "n=" after, "yn=" y " " after, "px=" before " " x */
    buf_init(&b);
    if (buf_ascii(&b, "p=") < 0 || buf_str(&b, before) < 0 || add_weight(c, &b, &z) < 0)
        goto error;
    if (buf_ascii(&b, "n=") < 0 || buf_str(&b, after) < 0 || add_weight(c, &b, &z) < 0)
        goto error;
    if (buf_ascii(&b, "yn=") < 0 || buf_str(&b, y) < 0 || buf_put(&b, ' ') < 0 || buf_str(&b, after) < 0
        || add_weight(c, &b, &z) < 0)
        goto error;
    if (buf_ascii(&b, "px=") < 0 || buf_str(&b, before) < 0 || buf_put(&b, ' ') < 0 || buf_str(&b, x) < 0
        || add_weight(c, &b, &z) < 0)
        goto error;
    double e = exp(-z);
    if (isinf(e) && !isinf(-z)) {
        PyErr_SetString(PyExc_OverflowError, "math range error");
        return -1;
    }
    *p = 1.0 / (1.0 + e);
    return 0;
error:
    buf_free(&b);
    return -1;
}

/* Restorer.flags(piece). */
static int
piece_flags(const Ctx *c, PyObject *piece, int *lf, int *rf)
{
    /* a piece the model lists (Restorer._gap_known: a known word or a piece with counts) */
    if (table_has(c->uni, piece) || table_has(c->gap_t, piece) || table_has(c->gap_h, piece)
        || table_has(c->gap_r, piece)) {
        *lf = table_has(c->lflag, piece);
        *rf = table_has(c->rflag, piece);
        return 0;
    }
    double sx, sy;
    if (side_get(c, piece, &sx, &sy) < 0)
        return -1;
    *lf = sx > c->side_min;
    *rf = sy > c->side_min;
    return 0;
}

/* Restorer.word_flags(word). */
static int
word_flags(const Ctx *c, PyObject *word, char *lf, char *rf)
{
    int a, b, d;
    PyObject *last = end_piece(word, 1);
    if (last == NULL)
        return -1;
    int r = piece_flags(c, last, &a, &d);
    Py_DECREF(last);
    if (r < 0)
        return -1;
    PyObject *first = end_piece(word, 0);
    if (first == NULL)
        return -1;
    r = piece_flags(c, first, &d, &b);
    Py_DECREF(first);
    if (r < 0)
        return -1;
    *lf = (char)a;
    *rf = (char)b;
    return 0;
}

/* -------------------------------------------------------------------------------------------- */
/* Writing words: _render, _union, _word_edits. */

/* What walk_word reports, in text order, of tokens toks read as one word written form. */
enum { WALK_CHAR, WALK_INSERT, WALK_GAP };

/* The walk of _render and _word_edits (their shared apply_edits in Python): each character of the
 * tokens (WALK_CHAR, ch), a ZWNJ the form puts before the character at text position pos where the
 * token has none (WALK_INSERT), and the space after each token but the last (WALK_GAP at pos: a
 * ZWNJ after a joining letter, ch = ZWNJ, else nothing, ch = 0).  Positions come from starts (the
 * tokens' offsets in the text), or are 0 when starts is NULL.  fn returns -1 to stop with an error. */
static int
walk_word(const Ctx *c, PyObject **toks, const Py_ssize_t *starts, Py_ssize_t k, PyObject *form,
          int (*fn)(void *arg, int what, Py_ssize_t pos, Py_UCS4 ch), void *arg)
{
    Want want;
    if (want_init(&want, letters(form)) < 0)
        return -1;
    want_mark(&want, form);
    Py_ssize_t j = 0;
    for (Py_ssize_t ti = 0; ti < k; ti++) {
        PyObject *tok = toks[ti];
        Py_ssize_t n = PyUnicode_GET_LENGTH(tok), p = starts ? starts[ti] : 0;
        int kind = PyUnicode_KIND(tok);
        const void *data = PyUnicode_DATA(tok);
        Py_UCS4 prev = 0;
        int after_zwnj = 0;
        for (Py_ssize_t q = 0; q < n; q++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, q);
            if (ch != ZWNJ) {
                if (prev && want_has(&want, j) && !after_zwnj && joining(c, prev)
                    && fn(arg, WALK_INSERT, p + q, ZWNJ) < 0)
                    goto error;
                prev = ch;
                j++;
            }
            after_zwnj = ch == ZWNJ;
            if (fn(arg, WALK_CHAR, p + q, ch) < 0)
                goto error;
        }
        if (ti < k - 1 && fn(arg, WALK_GAP, p + n, joining(c, prev) ? ZWNJ : 0) < 0)
            goto error;
    }
    want_free(&want);
    return 0;
error:
    want_free(&want);
    return -1;
}

static int
render_step(void *arg, int what, Py_ssize_t pos, Py_UCS4 ch)
{
    (void)pos;
    return what == WALK_GAP && ch == 0 ? 0 : buf_put((Buf *)arg, ch);  /* (a gap without a ZWNJ: nothing) */
}

/* _render(toks, form): the text tokens toks become as one word written form. */
static PyObject *
render(const Ctx *c, PyObject **toks, Py_ssize_t k, PyObject *form)
{
    Buf b;
    buf_init(&b);
    if (walk_word(c, toks, NULL, k, form, render_step, &b) < 0) {
        buf_free(&b);
        return NULL;
    }
    return buf_done(&b);
}

/* _union(a, b): the skeleton of a with the ZWNJs of both. */
static PyObject *
zwnj_union(PyObject *a, PyObject *bstr)
{
    Want want;
    if (want_init(&want, letters(a)) < 0)
        return NULL;
    want_mark(&want, a);
    want_mark(&want, bstr);
    Buf b;
    buf_init(&b);
    Py_ssize_t n = PyUnicode_GET_LENGTH(a), j = 0;
    int kind = PyUnicode_KIND(a);
    const void *data = PyUnicode_DATA(a);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch == ZWNJ)
            continue;
        if (want_has(&want, j) && b.n && buf_put(&b, ZWNJ) < 0)
            goto error;
        if (buf_put(&b, ch) < 0)
            goto error;
        j++;
    }
    want_free(&want);
    return buf_done(&b);
error:
    want_free(&want);
    buf_free(&b);
    return NULL;
}

static int
add_edit(const Ctx *c, PyObject *out, Py_ssize_t start, Py_ssize_t end, PyObject *replacement)
{
    PyObject *s = PyLong_FromSsize_t(start);
    PyObject *e = s ? PyLong_FromSsize_t(end) : NULL;
    PyObject *ed = NULL;
    if (e != NULL && c->edit_tuple) {
        PyTypeObject *et = (PyTypeObject *)c->edit;
        if ((ed = et->tp_alloc(et, 3)) != NULL) {
            PyTuple_SET_ITEM(ed, 0, Py_NewRef(s));
            PyTuple_SET_ITEM(ed, 1, Py_NewRef(e));
            PyTuple_SET_ITEM(ed, 2, Py_NewRef(replacement));
        }
    }
    else if (e != NULL) {
        ed = PyObject_CallFunctionObjArgs(c->edit, s, e, replacement, NULL);
    }
    Py_XDECREF(s);
    Py_XDECREF(e);
    if (ed == NULL)
        return -1;
    int r = PyList_Append(out, ed);
    Py_DECREF(ed);
    return r;
}

/* Where walk_word's inserted ZWNJs and gaps become edits. */
typedef struct {
    const Ctx *c;
    PyObject *out;
} EditSink;

static int
edit_step(void *arg, int what, Py_ssize_t pos, Py_UCS4 ch)
{
    const EditSink *e = arg;
    if (what == WALK_INSERT)
        return add_edit(e->c, e->out, pos, pos, ZWNJ_STR);
    if (what == WALK_GAP)
        return add_edit(e->c, e->out, pos, pos + 1, ch ? ZWNJ_STR : EMPTY);
    return 0;
}

/* _word_edits(text, pos, toks, form, out): toks[ti] stands at starts[ti] of the text. */
static int
word_edits(const Ctx *c, PyObject **toks, const Py_ssize_t *starts, Py_ssize_t k, PyObject *form, PyObject *out)
{
    if (k == 1) {
        Py_ssize_t z = find_zwnj(form, 0, PyUnicode_GET_LENGTH(form), 1);
        if (z == -2)
            return -1;
        if (z < 0)
            return 0;
    }
    EditSink sink = {c, out};
    return walk_word(c, toks, starts, k, form, edit_step, &sink);
}

/* -------------------------------------------------------------------------------------------- */
/* The memo (one per restorer, in a capsule): each distinct token of the text once as a str object
 * with what the run's fast path asks about it, and each pair of neighbouring tokens with whether
 * their skeletons joined are a known word or begin a known triple.  It saves the substring, its hash
 * and five or six set and dict lookups per token, which are most of the run loops' time (each a
 * cache miss in a big table).  Only answers that cannot change are kept: the skeleton and whether it
 * is an affix, the pair answers (the model is immutable), and "yes" answers to "is the token in the
 * fast path's inert / sideless set" and "is it in the token cache" (those sets and that cache only
 * grow, until the token cache overflows and Python clears them: then it counts up its epoch, and
 * every kept "yes" of an older epoch is asked again).  Of a "no", the part the model's tables answer
 * (the sets' seeds) is kept from the first sight; the sets themselves are asked again every time. */

#define MEMO_CAPSULE "khabar.text._halfspace.memo"
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)0)
#endif
#define MEMO_MAX (1 << 18)  /* tokens, and pairs, before the memo starts afresh */

typedef struct {
    uint64_t h;
    PyObject *tok, *skel, *info;  /* tok NULL: an empty slot */
    Py_ssize_t epoch;             /* the restorer's epoch of inert, sideless and info */
    Py_ssize_t gen;               /* the memo's generation when the entry was made */
    char inert, sideless, affix;
    char seed_inert, seed_sideless;  /* the seeds' answers (the model's tables: they never change) */
} TEntry;

typedef struct {
    PyObject *a, *b;  /* two tokens of the table (a NULL: an empty slot) */
    char uni, tri;
} PEntry;

typedef struct Memo {
    TEntry *t;
    size_t tcap, tn;
    PEntry *p;
    size_t pcap, pn;
    Py_ssize_t gen;  /* counts the times the memo started afresh (pairs name tokens of one generation) */
    uint64_t *known; /* NULL, or the filter of the model's known words and triples (see memo_filters) */
    uint64_t *bigrams;  /* NULL, or the filter of the language model's bigrams */
    char filtered;   /* memo_filters ran (a filter it could not build stays NULL: every question is asked) */
} Memo;

static void
memo_clear(Memo *m)
{
    for (size_t i = 0; i < m->tcap; i++) {
        TEntry *x = &m->t[i];
        if (x->tok != NULL) {
            Py_DECREF(x->tok);
            Py_DECREF(x->skel);
            Py_XDECREF(x->info);
        }
    }
    PyMem_Free(m->t);
    PyMem_Free(m->p);
    m->t = NULL;
    m->p = NULL;
    m->tcap = m->tn = m->pcap = m->pn = 0;
    m->gen++;
}

static void
memo_destroy(PyObject *capsule)
{
    Memo *m = PyCapsule_GetPointer(capsule, MEMO_CAPSULE);
    if (m != NULL) {
        memo_clear(m);
        PyMem_Free(m->known);
        PyMem_Free(m->bigrams);
        PyMem_Free(m);
    }
}

static PyObject *
hs_memo(PyObject *self, PyObject *noargs)
{
    Memo *m = PyMem_Calloc(1, sizeof(Memo));
    if (m == NULL)
        return PyErr_NoMemory();
    PyObject *cap = PyCapsule_New(m, MEMO_CAPSULE, memo_destroy);
    if (cap == NULL)
        PyMem_Free(m);
    return cap;
}

/* The memo's filter of the model's known words and triples: a Bloom filter, two bits of 2^22 per
 * word, built once per memo from the tables (the model never changes).  A joined pair whose bits
 * are not both set is in neither table, so memo_pair answers it without probing the two big tables
 * (for most pairs; about one in a hundred others passes and is asked as before). */
#define FILTER_BITS ((uint64_t)1 << 22)

static inline uint64_t
filter_mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

/* The two bits of a key whose FNV hash is h. */
static inline void
filter_bits(uint64_t h, uint64_t *i, uint64_t *j)
{
    h = filter_mix(h);
    *i = h & (FILTER_BITS - 1);
    *j = (h >> 32) & (FILTER_BITS - 1);
}

static inline int
filter_has(const uint64_t *f, uint64_t h)
{
    uint64_t i, j;
    filter_bits(h, &i, &j);
    return (f[i >> 6] >> (i & 63) & 1) && (f[j >> 6] >> (j & 63) & 1);
}

/* A filter of the keys of the given tables (NULL with an error set). */
static uint64_t *
filter_build(Table *const *tables, int n)
{
    uint64_t *f = PyMem_Calloc(FILTER_BITS / 64, sizeof(uint64_t));
    if (f == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (int k = 0; k < n; k++) {
        const Table *t = tables[k];
        for (Py_ssize_t w = 0; w < t->n; w++) {
            uint64_t i, j;
            filter_bits(hash_span(t->kind, t->data, t->start[w], t->start[w + 1] - 1), &i, &j);
            f[i >> 6] |= (uint64_t)1 << (i & 63);
            f[j >> 6] |= (uint64_t)1 << (j & 63);
        }
    }
    return f;
}

/* The memo's filters, built the first time: the known words and triples (memo_pair), the bigrams (cond_lp). */
static int
memo_filters(const Ctx *c, Memo *m)
{
    m->filtered = 1;
    if (m->known == NULL) {
        Table *sets[2] = {c->uni, c->triples};
        m->known = filter_build(sets, 2);
    }
    if (m->bigrams == NULL && !PyErr_Occurred())
        m->bigrams = filter_build(&c->bi, 1);
    return PyErr_Occurred() ? -1 : 0;
}

static int
same_span(PyObject *tok, int kind, const void *data, Py_ssize_t s, Py_ssize_t e)
{
    if (PyUnicode_GET_LENGTH(tok) != e - s)
        return 0;
    int tk = PyUnicode_KIND(tok);
    const void *td = PyUnicode_DATA(tok);
    for (Py_ssize_t i = s; i < e; i++)
        if (PyUnicode_READ(tk, td, i - s) != PyUnicode_READ(kind, data, i))
            return 0;
    return 1;
}

/* Room for one more entry in an open-addressing table of the memo (tab: *cap entries of `size` bytes,
 * n of them used; an entry is empty when its pointer at `key_at` is NULL, and `slot` gives its home slot
 * in a table of cap entries): tab itself, or, when it would be more than half full, the table doubled
 * (1024 entries to begin with) with every entry put again and tab freed; NULL on error (tab kept). */
static void *
table_room(void *tab, size_t *cap, size_t n, size_t size, size_t key_at, size_t (*slot)(const void *, size_t))
{
    if (*cap && (n + 1) * 2 <= *cap)
        return tab;
    size_t ncap = *cap ? *cap * 2 : 1024;
    char *t = PyMem_Calloc(ncap, size);
    if (t == NULL)
        return PyErr_NoMemory();
    const char *old = tab;
    for (size_t i = 0; i < *cap; i++) {
        const char *x = old + i * size;
        if (*(PyObject *const *)(x + key_at) == NULL)
            continue;
        size_t j = slot(x, ncap);
        while (*(PyObject **)(t + j * size + key_at) != NULL)
            j = (j + 1) & (ncap - 1);
        memcpy(t + j * size, x, size);
    }
    PyMem_Free(tab);
    *cap = ncap;
    return t;
}

static size_t
token_slot(const void *entry, size_t cap)
{
    return ((const TEntry *)entry)->h & (cap - 1);
}

/* Room for one more token (the table doubled, or started afresh when full). */
static int
memo_room_tokens(Memo *m, const Ctx *c)
{
    size_t most = c->cache_size < MEMO_MAX ? (size_t)(c->cache_size > 0 ? c->cache_size : 0) : MEMO_MAX;
    if (m->tn >= most + 1 || (m->tcap && m->tn + 1 > m->tcap / 2 && m->tcap >= 4 * (size_t)MEMO_MAX))
        memo_clear(m);
    TEntry *t = table_room(m->t, &m->tcap, m->tn, sizeof(TEntry), offsetof(TEntry, tok), token_slot);
    if (t == NULL)
        return -1;
    m->t = t;
    return 0;
}

static int
memo_token(const Ctx *c, Memo *m, Py_ssize_t epoch, PyObject *text, int kind, const void *data, Py_ssize_t s,
           Py_ssize_t e, uint64_t h, TokFacts *f)
{
    if (memo_room_tokens(m, c) < 0)
        return -1;
    size_t j = h & (m->tcap - 1);
    TEntry *x;
    for (;;) {
        x = &m->t[j];
        if (x->tok == NULL) {
            PyObject *tok = PyUnicode_Substring(text, s, e);
            PyObject *skel = tok ? skeleton(tok) : NULL;
            int affix = skel ? PySet_Contains(c->affix, skel) : -1;
            if (affix < 0) {
                Py_XDECREF(tok);
                Py_XDECREF(skel);
                return -1;
            }
            x->h = h;
            x->tok = tok;
            x->skel = skel;
            x->info = NULL;
            x->epoch = epoch;
            x->gen = m->gen;
            /* the seeds (the model's tables, which never change; h is their hash too): Restorer._inert's, a
             * known word the model has no form for (read alone, it stays); Restorer._sideless's, a known
             * word with neither side flag */
            int known = table_find_hashed(c->uni, h, kind, data, s, e) >= 0;
            x->seed_inert = (char)(known && table_find_hashed(c->forms, h, kind, data, s, e) < 0);
            x->seed_sideless = (char)(known && table_find_hashed(c->lflag, h, kind, data, s, e) < 0
                                      && table_find_hashed(c->rflag, h, kind, data, s, e) < 0);
            x->inert = x->seed_inert;
            x->sideless = x->seed_sideless;
            x->affix = (char)affix;
            m->tn++;
            break;
        }
        if (x->h == h && same_span(x->tok, kind, data, s, e))
            break;
        j = (j + 1) & (m->tcap - 1);
    }
    if (x->epoch != epoch) {  /* the token cache was cleared since: ask again (the seeds' answers stand) */
        x->inert = x->seed_inert;
        x->sideless = x->seed_sideless;
        Py_CLEAR(x->info);
        x->epoch = epoch;
    }
    if (!x->inert) {
        int r = PySet_Contains(c->inert, x->tok);
        if (r < 0)
            return -1;
        x->inert = (char)r;
    }
    if (!x->sideless) {
        int r = PySet_Contains(c->sideless, x->tok);
        if (r < 0)
            return -1;
        x->sideless = (char)r;
    }
    f->tok = Py_NewRef(x->tok);
    f->skel = Py_NewRef(x->skel);
    f->info = Py_XNewRef(x->info);
    f->gen = x->gen;
    f->inert = x->inert;
    f->sideless = x->sideless;
    f->affix = x->affix;
    return 0;
}

/* The token cache's info of a token of the table, kept (looked up again by its hash and object). */
static void
memo_keep_info(Memo *m, Py_ssize_t epoch, PyObject *tok, PyObject *info)
{
    if (m->tcap == 0)
        return;
    uint64_t h = hash_span(PyUnicode_KIND(tok), PyUnicode_DATA(tok), 0, PyUnicode_GET_LENGTH(tok));
    for (size_t j = h & (m->tcap - 1); m->t[j].tok != NULL; j = (j + 1) & (m->tcap - 1)) {
        TEntry *x = &m->t[j];
        if (x->tok == tok) {
            if (x->epoch == epoch && x->info == NULL)
                x->info = Py_NewRef(info);
            return;
        }
    }
}

static inline size_t
pair_slot(PyObject *a, PyObject *b, size_t cap)
{
    uint64_t h = ((uint64_t)(uintptr_t)a >> 4) * 0x9E3779B97F4A7C15ULL ^ ((uint64_t)(uintptr_t)b >> 4) * 0xC2B2AE3D27D4EB4FULL;
    return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

static size_t
pair_entry_slot(const void *entry, size_t cap)
{
    const PEntry *x = entry;
    return pair_slot(x->a, x->b, cap);
}

/* Whether the skeletons of two neighbouring tokens joined are a known word (uni) or begin a known
 * triple (tri): from the memo when both tokens are of its present generation, else asked. */
static int
memo_pair(const Ctx *c, Memo *m, const TokFacts *a, const TokFacts *b, char *uni, char *tri)
{
    int keep = a->gen == m->gen && b->gen == m->gen;
    PEntry *x = NULL;
    if (keep) {
        if (m->pn >= MEMO_MAX || (c->cache_size >= 0 && m->pn > (size_t)c->cache_size)) {
            PyMem_Free(m->p);  /* start the pairs afresh (the tokens stay) */
            m->p = NULL;
            m->pcap = m->pn = 0;
        }
        PEntry *p = table_room(m->p, &m->pcap, m->pn, sizeof(PEntry), offsetof(PEntry, a), pair_entry_slot);
        if (p == NULL)
            return -1;
        m->p = p;
        size_t j = pair_slot(a->tok, b->tok, m->pcap);
        for (;; j = (j + 1) & (m->pcap - 1)) {
            x = &m->p[j];
            if (x->a == NULL)
                break;
            if (x->a == a->tok && x->b == b->tok) {
                *uni = x->uni;
                *tri = x->tri;
                return 0;
            }
        }
    }
    int u = 0, t = 0;
    Parts k = {{a->skel, b->skel, NULL}, 2, 0};
    uint64_t h = parts_hash(&k);
    if (m->known == NULL || filter_has(m->known, h)) {
        u = table_find_parts(c->uni, h, &k) >= 0;
        t = table_find_parts(c->triples, h, &k) >= 0;
    }
    *uni = (char)u;
    *tri = (char)t;
    if (x != NULL) {
        x->a = a->tok;
        x->b = b->tok;
        x->uni = *uni;
        x->tri = *tri;
        m->pn++;
    }
    return 0;
}

/* What a reading of a run knows before it starts (from the memo), and the pair questions it asks the
 * memo only when it needs their answers. */
typedef struct {
    const TokFacts *tf;              /* per token (its info: the cached one, held, or NULL) */
    char *pair;                      /* per pair of neighbours: 0 not asked yet, else 1 + known + 2 * triple */
    Py_ssize_t epoch;                /* the restorer's epoch when the facts were taken */
} RunFacts;

/* Whether the joined skeletons of tokens i and i + 1 of the run are a known word (*uni) and begin a
 * triple (*tri): memo_pair's answers, asked the first time they are needed (most pairs never are). */
static int
pair_facts(const Ctx *c, const RunFacts *rf, Py_ssize_t i, char *uni, char *tri)
{
    char p = rf->pair[i];
    if (!p) {
        char u, t;
        if (memo_pair(c, c->memo, &rf->tf[i], &rf->tf[i + 1], &u, &t) < 0)
            return -1;
        p = rf->pair[i] = (char)(1 + u + 2 * t);
    }
    *uni = (char)((p - 1) & 1);
    *tri = (char)((p - 1) >> 1);
    return 0;
}

static Py_ssize_t
current_epoch(const Ctx *c)
{
    return PyLong_AsSsize_t(PyList_GET_ITEM(c->epoch, 0));
}

/* -------------------------------------------------------------------------------------------- */
/* One reading of a run. Each returns -1 on error, 0 for None, 1 with words in *out. */

/* Restorer._vetoed(tokens, i): 1 when the space after token i is surely a real one. */
static int
vetoed(const Ctx *c, PyObject **toks, Py_ssize_t n, Py_ssize_t i)
{
    PyObject *x, *y, *before, *after;
    if (gap_context(toks, n, i, &x, &y, &before, &after) < 0)
        return -1;
    int r = 0;
    Py_ssize_t nx = PyUnicode_GET_LENGTH(x);
    if (nx && PyUnicode_GET_LENGTH(y) && joining(c, PyUnicode_READ_CHAR(x, nx - 1))) {
        int a = PySet_Contains(c->affix, x);
        int b = a == 0 ? PySet_Contains(c->affix, y) : 0;
        if (a < 0 || b < 0) {
            r = -1;
        }
        else if (!a && !b) {
            double p;
            r = spaced_p(c, x, y, before, after, &p) < 0 ? -1 : p < c->veto_max;
        }
    }
    context_free(x, y, before, after);
    return r;
}

/* Restorer._gap_vetoes */
static int
gap_vetoes(const Ctx *c, PyObject **toks, Py_ssize_t n, const Info *info, const Words *words, Words *out)
{
    Py_ssize_t i = 0;
    for (Py_ssize_t w = 0; w < words->n; w++) {
        Py_ssize_t k = words->w[w].k;
        int veto = 0;
        if (k > 1) {
            for (Py_ssize_t j = i; j < i + k - 1 && !veto; j++) {
                veto = vetoed(c, toks, n, j);
                if (veto < 0)
                    return -1;
            }
        }
        if (veto) {
            for (Py_ssize_t j = i; j < i + k; j++)
                if (words_add(out, 1, form_or_token(info, toks, j)) < 0)
                    return -1;
        }
        else if (words_add(out, k, words->w[w].form) < 0) {
            return -1;
        }
        i += k;
    }
    return 0;
}

/* Restorer._gap_joins(tokens, info, words); words NULL for None. */
static int
gap_joins(const Ctx *c, PyObject **toks, Py_ssize_t n, const Info *info, const Words *words, Words *out)
{
    Words vet = {0}, plain = {0};
    PyObject **written = NULL;
    char *lf = NULL, *rf = NULL, *joins = NULL;
    Py_ssize_t nw = 0;
    int written_is_tokens = words == NULL, result = -1;
    if (words == NULL) {
        int any = 0;
        for (Py_ssize_t i = 0; i + 1 < n && !any; i++)
            any = info[i].lf || info[i + 1].rf;
        if (!any)
            return 0;
        for (Py_ssize_t i = 0; i < n; i++)
            if (words_add(&plain, 1, toks[i]) < 0)
                goto done;
        words = &plain;
    }
    else {
        if (gap_vetoes(c, toks, n, info, words, &vet) < 0)
            goto done;
        words = &vet;
    }
    nw = words->n;
    written = PyMem_Calloc(nw ? nw : 1, sizeof(PyObject *));
    lf = PyMem_Calloc(nw + 1, 1);
    rf = PyMem_Calloc(nw + 1, 1);
    joins = PyMem_Calloc(nw + 2, 1);
    if (written == NULL || lf == NULL || rf == NULL || joins == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t i = 0;
    for (Py_ssize_t w = 0; w < nw; w++) {
        Py_ssize_t k = words->w[w].k;
        PyObject *form = words->w[w].form;
        if (written_is_tokens || (k == 1 && str_eq(form, toks[i]))) {
            written[w] = Py_NewRef(form);
            lf[w] = info[i].lf;
            rf[w] = info[i].rf;
        }
        else {
            written[w] = render(c, toks + i, k, form);
            if (written[w] == NULL || word_flags(c, written[w], &lf[w], &rf[w]) < 0)
                goto done;
        }
        i += k;
    }
    int any_join = 0;
    for (Py_ssize_t w = 1; w < nw; w++) {
        if (!(lf[w - 1] || rf[w]))
            continue;
        PyObject *x, *y, *before, *after;
        if (gap_context(written, nw, w - 1, &x, &y, &before, &after) < 0)
            goto done;
        Py_ssize_t nx = PyUnicode_GET_LENGTH(x);
        int ok = nx && PyUnicode_GET_LENGTH(y) && joining(c, PyUnicode_READ_CHAR(x, nx - 1));
        double p = 0.0;
        int r = ok ? spaced_p(c, x, y, before, after, &p) : 0;
        context_free(x, y, before, after);
        if (r < 0)
            goto done;
        if (ok && p > c->spaced_min)
            joins[w] = any_join = 1;
    }
    if (!any_join) {
        if (written_is_tokens) {
            result = 0;
        }
        else {
            *out = vet;  /* handed over */
            vet = (Words){0};
            result = 1;
        }
        goto done;
    }
    for (Py_ssize_t w = 0; w < nw; w++) {
        Py_ssize_t k = words->w[w].k;
        if (joins[w]) {
            Word *last = &out->w[out->n - 1];
            Buf b;
            buf_init(&b);
            if (buf_str(&b, last->form) < 0 || buf_put(&b, ZWNJ) < 0 || buf_str(&b, written[w]) < 0) {
                buf_free(&b);
                goto done;
            }
            PyObject *text = buf_done(&b);
            if (text == NULL)
                goto done;
            Py_SETREF(last->form, text);
            last->k += k;
        }
        else if (words_add(out, k, joins[w + 1] ? written[w] : words->w[w].form) < 0) {
            goto done;
        }
    }
    result = 1;
done:
    if (written != NULL)
        for (Py_ssize_t w = 0; w < nw; w++)
            Py_XDECREF(written[w]);
    PyMem_Free(written);
    PyMem_Free(lf);
    PyMem_Free(rf);
    PyMem_Free(joins);
    words_clear(&vet);
    words_clear(&plain);
    if (result < 0)
        words_clear(out);
    return result;
}

/* A list of n new references' borrowed objects (for a callback). */
static PyObject *
list_of(PyObject **items, Py_ssize_t n)
{
    PyObject *l = PyList_New(n);
    if (l == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++)
        PyList_SET_ITEM(l, i, Py_NewRef(items[i]));
    return l;
}

/* The language model: Restorer.candidate (cached, computed in Python on a miss), cond_lp, _dp. */

/* candidate(toks[0..k)): -1 error, 0 None, 1 with *lp and *form (a new reference). */
static int
candidate(const Ctx *c, PyObject **toks, Py_ssize_t k, double *lp, PyObject **form)
{
    PyObject *key;
    if (k == 1) {  /* the token itself (its hash kept on it) */
        key = Py_NewRef(toks[0]);
    }
    else {
        Buf b;
        buf_init(&b);
        for (Py_ssize_t t = 0; t < k; t++) {
            if ((t && buf_put(&b, ' ') < 0) || buf_str(&b, toks[t]) < 0) {
                buf_free(&b);
                return -1;
            }
        }
        if ((key = buf_done(&b)) == NULL)
            return -1;
    }
    PyObject *v = PyDict_GetItemWithError(c->cand_cache, key);
    if (v != NULL) {
        Py_INCREF(v);
    }
    else if (!PyErr_Occurred()) {
        /* a known word (most misses): its reading here, cached as Restorer.candidate caches it; else Python */
        PyObject *w, *f;
        double wlp;
        int known = known_reading(c, toks, k, &w, &f, &wlp);
        if (known > 0) {
            v = Py_BuildValue("(dO)", wlp, f);
            Py_DECREF(w);
            Py_DECREF(f);
            if (v != NULL) {
                if (PyDict_GET_SIZE(c->cand_cache) > c->cache_size)
                    PyDict_Clear(c->cand_cache);
                if (PyDict_SetItem(c->cand_cache, key, v) < 0)
                    Py_CLEAR(v);
            }
        }
        else if (known == 0) {
            PyObject *l = list_of(toks, k);
            v = l ? PyObject_CallOneArg(c->candidate, l) : NULL;
            Py_XDECREF(l);
        }
    }
    Py_DECREF(key);
    if (v == NULL)
        return -1;
    if (v == Py_None) {
        Py_DECREF(v);
        return 0;
    }
    if (!PyTuple_Check(v) || PyTuple_GET_SIZE(v) != 2 || !PyUnicode_Check(PyTuple_GET_ITEM(v, 1))) {
        Py_DECREF(v);
        PyErr_SetString(PyExc_TypeError, "a candidate must be (float, str) or None");
        return -1;
    }
    *lp = PyFloat_AsDouble(PyTuple_GET_ITEM(v, 0));
    if (*lp == -1.0 && PyErr_Occurred()) {
        Py_DECREF(v);
        return -1;
    }
    *form = Py_NewRef(PyTuple_GET_ITEM(v, 1));
    Py_DECREF(v);
    return 1;
}

/* math.exp and math.log as Python calls them (the same libm functions, the same errors). */
static int
py_exp(double x, double *out)
{
    *out = exp(x);
    if (isinf(*out) && isfinite(x)) {
        PyErr_SetString(PyExc_OverflowError, "math range error");
        return -1;
    }
    return 0;
}

static int
py_log(double x, double *out)
{
    if (isnan(x) || (isinf(x) && x > 0)) {
        *out = x;
        return 0;
    }
    if (x <= 0) {
        PyErr_SetString(PyExc_ValueError, "math domain error");
        return -1;
    }
    *out = log(x);
    return 0;
}

/* Restorer.cond_lp(w, w_lp, v): log P(w | v), Witten-Bell smoothed. */
static int
cond_lp(const Ctx *c, PyObject *w, double w_lp, PyObject *v, double *out)
{
    Py_ssize_t i = table_find(c->lm_ctx, v);
    if (i < 0) {
        *out = w_lp;
        return 0;
    }
    double cv0 = c->lm_ctx->val[2 * i], cv1 = c->lm_ctx->val[2 * i + 1], cnt = 0.0, e;
    Parts k = {{v, w, NULL}, 2, ' '};
    uint64_t h = parts_hash(&k);
    if (c->memo->bigrams == NULL || filter_has(c->memo->bigrams, h))  /* (bi only past the memo's filter) */
        cnt = table_count(c->bi, table_find_parts(c->bi, h, &k));
    if (py_exp(w_lp, &e) < 0)
        return -1;
    return py_log((cnt + cv1 * e) / (cv0 + cv1), out);
}

/* One state of the DP: the last word's skeleton (the dict key), score, length, previous skeleton, form. */
typedef struct {
    PyObject *skel, *prev, *form;
    double score;
    Py_ssize_t k;
} State;

typedef struct {
    State *s;
    Py_ssize_t n, cap;
} States;  /* in insertion order, as a dict keeps them */

static State *
states_find(const States *st, PyObject *skel)
{
    for (Py_ssize_t i = 0; i < st->n; i++)
        if (str_eq(st->s[i].skel, skel))
            return &st->s[i];
    return NULL;
}

static int
states_add(States *st, PyObject *skel, double score, Py_ssize_t k, PyObject *prev, PyObject *form)
{
    State *p = grown(st->s, &st->cap, st->n, sizeof(State), 4);
    if (p == NULL)
        return -1;
    st->s = p;
    State *x = &st->s[st->n++];
    x->skel = Py_NewRef(skel);
    x->prev = Py_NewRef(prev);
    x->form = Py_NewRef(form);
    x->score = score;
    x->k = k;
    return 0;
}

static void
states_free(States *st, Py_ssize_t n)
{
    if (st == NULL)
        return;
    for (Py_ssize_t i = 0; i < n; i++) {
        for (Py_ssize_t j = 0; j < st[i].n; j++) {
            Py_DECREF(st[i].s[j].skel);
            Py_DECREF(st[i].s[j].prev);
            Py_DECREF(st[i].s[j].form);
        }
        PyMem_Free(st[i].s);
    }
    PyMem_Free(st);
}

/* One relaxation of the DP: the word w (cand lp, form) of k tokens from the states at i into target. */
static int
relax(const Ctx *c, const States *from, States *target, PyObject *w, double lp, Py_ssize_t k, PyObject *form)
{
    for (Py_ssize_t e = 0; e < from->n; e++) {
        double cl;
        if (cond_lp(c, w, lp, from->s[e].skel, &cl) < 0)
            return -1;
        double score = from->s[e].score + cl;
        State *old = states_find(target, w);
        if (old == NULL) {
            if (states_add(target, w, score, k, from->s[e].skel, form) < 0)
                return -1;
        }
        else if (score > old->score) {
            old->score = score;
            old->k = k;
            Py_SETREF(old->prev, Py_NewRef(from->s[e].skel));
            Py_SETREF(old->form, Py_NewRef(form));
        }
    }
    return 0;
}

/* Restorer._dp_fill's words over a cluster of n tokens (their infos): a new tuple of (k, form). */
static PyObject *
lm_dp(const Ctx *c, PyObject **toks, const Info *info, Py_ssize_t n, PyObject *left, PyObject *right)
{
    States *st = PyMem_Calloc(n + 1, sizeof(States));
    PyObject *out = NULL;
    if (st == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    if (states_add(&st[0], left, 0.0, 0, EMPTY, EMPTY) < 0)
        goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (st[i].n == 0)
            continue;
        PyObject *w = Py_NewRef(EMPTY);
        Py_ssize_t npieces = 0;
        for (Py_ssize_t k = 1; k <= 3 && k <= n - i; k++) {
            Py_SETREF(w, PyUnicode_Concat(w, info[i + k - 1].skel));
            if (w == NULL)
                goto done;
            npieces += info[i + k - 1].pieces;
            if (k > 1 && npieces > c->max_pieces)
                break;
            if (k > 1) {  /* a space after a letter that does not join: only before a solid suffix (MERGE_LP) */
                PyObject *prev = toks[i + k - 2];
                Py_ssize_t len = PyUnicode_GET_LENGTH(prev);
                if (!len || !joining(c, PyUnicode_READ_CHAR(prev, len - 1))) {
                    int suffix = solid_suffix(c, prev, toks[i + k - 1]);
                    if (suffix < 0) {
                        Py_DECREF(w);
                        goto done;
                    }
                    if (!suffix)
                        break;
                }
            }
            double lp;
            PyObject *form;
            int r = candidate(c, toks + i, k, &lp, &form);
            if (r < 0) {
                Py_DECREF(w);
                goto done;
            }
            if (r == 0)
                continue;
            lp += (double)(k - 1) * c->merge_lp;
            r = relax(c, &st[i], &st[i + k], w, lp, k, form);
            Py_DECREF(form);
            if (r < 0) {
                Py_DECREF(w);
                goto done;
            }
        }
        Py_XDECREF(w);
    }
    const States *final = &st[n];
    if (final->n == 0) {
        PyErr_SetString(PyExc_ValueError, "max() arg is an empty sequence");
        goto done;
    }
    Py_ssize_t best = 0;
    if (right != NULL) {
        double r_lp, bestval = 0.0;
        PyObject *r_form, *r_skel;
        int r = candidate(c, &right, 1, &r_lp, &r_form);
        if (r < 0)
            goto done;
        if (r == 0) {
            PyErr_SetString(PyExc_TypeError, "'NoneType' object is not subscriptable");
            goto done;
        }
        Py_DECREF(r_form);
        if ((r_skel = skeleton(right)) == NULL)
            goto done;
        for (Py_ssize_t e = 0; e < final->n; e++) {
            double cl;
            if (cond_lp(c, r_skel, r_lp, final->s[e].skel, &cl) < 0) {
                Py_DECREF(r_skel);
                goto done;
            }
            double val = final->s[e].score + cl;
            if (e == 0 || val > bestval) {
                best = e;
                bestval = val;
            }
        }
        Py_DECREF(r_skel);
    }
    else {
        for (Py_ssize_t e = 1; e < final->n; e++)
            if (final->s[e].score > final->s[best].score)
                best = e;
    }
    /* back from the end: (k, form) of each word */
    PyObject *rev = PyList_New(0);
    if (rev == NULL)
        goto done;
    Py_ssize_t pos = n;
    PyObject *v = final->s[best].skel;
    while (pos > 0) {
        State *x = states_find(&st[pos], v);
        if (x == NULL || x->k < 1) {
            PyErr_SetString(PyExc_KeyError, "half-space DP: a state without its predecessor");
            Py_DECREF(rev);
            goto done;
        }
        PyObject *item = Py_BuildValue("(nO)", x->k, x->form);
        if (item == NULL || PyList_Append(rev, item) < 0) {
            Py_XDECREF(item);
            Py_DECREF(rev);
            goto done;
        }
        Py_DECREF(item);
        pos -= x->k;
        v = x->prev;
    }
    if (PyList_Reverse(rev) < 0) {
        Py_DECREF(rev);
        goto done;
    }
    out = PyList_AsTuple(rev);
    Py_DECREF(rev);
done:
    states_free(st, n + 1);
    return out;
}

/* Restorer._segment_lm(tokens, info). */
static int
segment_lm(const Ctx *c, PyObject **toks, Py_ssize_t n, const Info *info, const RunFacts *rf, Words *out)
{
    char *flags = PyMem_Calloc(n + 1, 1);
    if (flags == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    int anything = 0;
    for (Py_ssize_t i = 0; i + 1 < n; i++) {
        const Info *a = &info[i], *b = &info[i + 1];
        if (a->pieces + b->pieces > c->max_pieces)
            continue;
        int f = a->pre || b->suf;
        char known, triple;
        if (!f && a->left && b->right) {
            if (pair_facts(c, rf, i, &known, &triple) < 0)  /* (info's skeleton is the token's) */
                goto error;
            f = known;
        }
        if (f)
            flags[i] = anything = 1;
        if (a->left && i + 2 < n) {
            const Info *d = &info[i + 2];
            int maybe = d->right && a->pieces + b->pieces + d->pieces <= c->max_pieces;
            if (maybe && PyUnicode_GET_LENGTH(a->skel) && PyUnicode_GET_LENGTH(b->skel)
                && PyUnicode_GET_LENGTH(d->skel)) {
                /* a known word of three non-empty parts, the first a left and the last a right, begins
                 * with a joined pair of the model's triples (training/build_halfspace.py): without that
                 * pair (from the memo), the lookup below can only say no */
                if (pair_facts(c, rf, i, &known, &triple) < 0)
                    goto error;
                maybe = triple;
            }
            if (maybe && table_find_joined(c->uni, a->skel, 0, b->skel, d->skel) >= 0)
                flags[i] = flags[i + 1] = anything = 1;
        }
    }
    if (!anything) {
        PyMem_Free(flags);
        int any_form = 0;
        for (Py_ssize_t i = 0; i < n && !any_form; i++)
            any_form = info[i].form != NULL;
        if (!any_form)
            return 0;
        for (Py_ssize_t i = 0; i < n; i++)
            if (words_add(out, 1, form_or_token(info, toks, i)) < 0) {
                words_clear(out);
                return -1;
            }
        return 1;
    }
    Py_ssize_t i = 0;
    while (i < n) {
        Py_ssize_t j = i;
        while (flags[j])
            j++;
        if (j == i) {
            if (words_add(out, 1, form_or_token(info, toks, i)) < 0)
                goto error;
        }
        else {
            PyObject *left = i > 0 ? info[i - 1].skel : EMPTY;
            PyObject *right = j + 1 < n ? toks[j + 1] : NULL;
            Buf b;
            buf_init(&b);
            int bad = buf_str(&b, left) < 0 || buf_put(&b, '|') < 0;
            for (Py_ssize_t t = i; t <= j && !bad; t++)
                bad = (t > i && buf_put(&b, ' ') < 0) || buf_str(&b, toks[t]) < 0;
            bad = bad || buf_put(&b, '|') < 0 || buf_str(&b, right ? right : NONE_STR) < 0;
            if (bad) {
                buf_free(&b);
                goto error;
            }
            PyObject *key = buf_done(&b);
            if (key == NULL)
                goto error;
            PyObject *words = PyDict_GetItemWithError(c->dp_cache, key);
            if (words != NULL) {
                Py_INCREF(words);
            }
            else if (!PyErr_Occurred()) {
                /* Restorer._dp_fill: the DP, cached under the key */
                words = lm_dp(c, toks + i, info + i, j + 1 - i, left, right);
                if (words != NULL) {
                    if (PyDict_GET_SIZE(c->dp_cache) > c->cache_size)
                        PyDict_Clear(c->dp_cache);
                    if (PyDict_SetItem(c->dp_cache, key, words) < 0)
                        Py_CLEAR(words);
                }
            }
            Py_DECREF(key);
            if (words == NULL)
                goto error;
            int r = words_extend_list(out, words);
            Py_DECREF(words);
            if (r < 0)
                goto error;
        }
        i = j + 1;
    }
    PyMem_Free(flags);
    if (words_cover(out, n) < 0) {
        words_clear(out);
        return -1;
    }
    return 1;
error:
    PyMem_Free(flags);
    words_clear(out);
    return -1;
}

/* Restorer._segment_once(tokens), with the run's facts from the memo. */
static int
segment_once(const Ctx *c, PyObject **toks, Py_ssize_t n, const RunFacts *rf, Words *out)
{
    /* the fast path: every token inert and no affix, no pair of neighbouring skeletons that is a known
     * word or begins a triple; and if every token is sideless too, nothing to do */
    int fast = 1;
    for (Py_ssize_t i = 0; i < n && fast; i++) {
        fast = rf->tf[i].inert && !rf->tf[i].affix;
        char known, triple;
        if (fast && i > 0) {
            if (pair_facts(c, rf, i - 1, &known, &triple) < 0)
                return -1;
            fast = !(known || triple);
        }
    }
    int all = fast;
    for (Py_ssize_t i = 0; i < n && all; i++)
        all = rf->tf[i].sideless;
    if (all)
        return 0;
    Info *info = infos_get(c, toks, n, rf->tf);
    if (info == NULL)
        return -1;
    if (current_epoch(c) == rf->epoch) {
        /* (no token cache cleared since the facts were taken: each info is in the cache now) */
        for (Py_ssize_t i = 0; i < n; i++)
            if (rf->tf[i].info == NULL)
                memo_keep_info(c->memo, rf->epoch, toks[i], info[i].tup);
    }
    else if (PyErr_Occurred()) {
        infos_free(info, n);
        return -1;
    }
    int r;
    if (fast) {
        r = gap_joins(c, toks, n, info, NULL, out);
    }
    else {
        Words lm = {0};
        r = segment_lm(c, toks, n, info, rf, &lm);
        if (r >= 0)
            r = gap_joins(c, toks, n, info, r ? &lm : NULL, out);
        words_clear(&lm);
    }
    infos_free(info, n);
    if (r > 0 && words_cover(out, n) < 0) {
        words_clear(out);
        return -1;
    }
    return r;
}

/* Restorer._changes(tokens, words). */
static int
changes(const Ctx *c, PyObject **toks, const Words *words)
{
    Py_ssize_t i = 0;
    for (Py_ssize_t w = 0; w < words->n; w++) {
        Py_ssize_t k = words->w[w].k;
        PyObject *form = words->w[w].form;
        if (k > 1)
            return 1;
        if (!str_eq(form, toks[i])) {
            PyObject *r = render(c, toks + i, 1, form);
            if (r == NULL)
                return -1;
            int same = str_eq(r, toks[i]);
            Py_DECREF(r);
            if (!same)
                return 1;
        }
        i += k;
    }
    return 0;
}

/* A run's buffers: its tokens (the memo's, whose references tf holds), their facts, the pair answers and
 * the tokens' hashes. */
typedef struct {
    PyObject **toks;
    TokFacts *tf;
    char *pair;
    uint64_t *hs;
} RunBufs;

/* Everything given back, with the references the facts of the first n tokens hold (b->toks[i] is
 * b->tf[i].tok, borrowed). */
static void
runbufs_free(RunBufs *b, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; b->tf != NULL && i < n; i++) {
        Py_XDECREF(b->tf[i].tok);
        Py_XDECREF(b->tf[i].skel);
        Py_XDECREF(b->tf[i].info);
    }
    PyMem_Free(b->toks);
    PyMem_Free(b->tf);
    PyMem_Free(b->pair);
    PyMem_Free(b->hs);
    memset(b, 0, sizeof *b);
}

static int
runbufs_new(RunBufs *b, Py_ssize_t n)
{
    size_t m = (size_t)(n ? n : 1);
    b->toks = PyMem_Calloc(m, sizeof(PyObject *));
    b->tf = PyMem_Calloc(m, sizeof(TokFacts));
    b->pair = PyMem_Calloc(m, 1);
    b->hs = PyMem_Malloc(m * sizeof(uint64_t));
    if (b->toks != NULL && b->tf != NULL && b->pair != NULL && b->hs != NULL)
        return 0;
    runbufs_free(b, 0);
    PyErr_NoMemory();
    return -1;
}

/* The facts of a run's n tokens, taken from the memo into b->tf, and rf made to read them and b->pair:
 * b->toks[i] = text[ts[i]:te[i]], or, with ts NULL, the strs b->toks[i] themselves; each becomes the
 * memo's own token. */
static int
memo_run(const Ctx *c, PyObject *text, const Py_ssize_t *ts, const Py_ssize_t *te, RunBufs *b, Py_ssize_t n,
         RunFacts *rf)
{
    Memo *memo = c->memo;
    PyObject **toks = b->toks;
    TokFacts *tf = b->tf;
    uint64_t *hs = b->hs;
    *rf = (RunFacts){tf, b->pair, current_epoch(c)};
    if (rf->epoch == -1 && PyErr_Occurred())
        return -1;
    /* The memo is far bigger than the CPU's caches: its entries, then their tokens' strs, are fetched for
     * the whole run first, so that the misses overlap instead of coming one after another. */
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = ts ? text : toks[i];
        hs[i] = hash_span(PyUnicode_KIND(t), PyUnicode_DATA(t), ts ? ts[i] : 0, ts ? te[i] : PyUnicode_GET_LENGTH(t));
        if (memo->tcap)
            PREFETCH(&memo->t[hs[i] & (memo->tcap - 1)]);
    }
    for (Py_ssize_t i = 0; i < n && memo->tcap; i++) {
        const TEntry *x = &memo->t[hs[i] & (memo->tcap - 1)];
        if (x->tok != NULL && x->h == hs[i]) {
            PREFETCH(x->tok);
            PREFETCH((const void *)((uintptr_t)x->tok + 64));  /* (as an integer: may lie past a short str) */
        }
    }
    int r = 0;
    for (Py_ssize_t i = 0; i < n && r == 0; i++) {
        PyObject *t = ts ? text : toks[i];
        Py_ssize_t s = ts ? ts[i] : 0, e = ts ? te[i] : PyUnicode_GET_LENGTH(t);
        r = memo_token(c, memo, rf->epoch, t, PyUnicode_KIND(t), PyUnicode_DATA(t), s, e, hs[i], &tf[i]);
        if (r == 0)
            toks[i] = tf[i].tok;
    }
    for (Py_ssize_t i = 0; r == 0 && i + 1 < n && memo->pcap; i++)  /* (the pairs memo_pair will look up) */
        PREFETCH(&memo->p[pair_slot(tf[i].tok, tf[i + 1].tok, memo->pcap)]);
    return r;
}

/* segment_once over tokens that are not spans of the text (a run's second reading), with the memo. */
static int
segment_once_memo(const Ctx *c, PyObject **fresh, Py_ssize_t n, Words *out)
{
    RunBufs b;
    if (runbufs_new(&b, n) < 0)
        return -1;
    RunFacts rf;
    memcpy(b.toks, fresh, n * sizeof(PyObject *));
    int r = memo_run(c, NULL, NULL, NULL, &b, n, &rf) == 0 ? segment_once(c, b.toks, n, &rf, out) : -1;
    runbufs_free(&b, n);
    return r;
}

/* Restorer.segment(tokens). */
static int
segment(const Ctx *c, PyObject **toks, Py_ssize_t n, const RunFacts *rf, Words *out)
{
    Words words = {0};
    int r = segment_once(c, toks, n, rf, &words);
    for (int round = 0; round < 3 && r > 0; round++) {
        int ch = changes(c, toks, &words);
        if (ch <= 0) {
            r = ch < 0 ? -1 : 1;
            break;
        }
        Py_ssize_t nn = words.n;
        PyObject **fresh = PyMem_Calloc(nn ? nn : 1, sizeof(PyObject *));
        if (fresh == NULL) {
            PyErr_NoMemory();
            r = -1;
            break;
        }
        Py_ssize_t i = 0;
        int bad = 0;
        for (Py_ssize_t w = 0; w < nn && !bad; w++) {
            Py_ssize_t k = words.w[w].k;
            PyObject *form = words.w[w].form;
            if (k == 1 && str_eq(form, toks[i]))
                fresh[w] = Py_NewRef(toks[i]);
            else
                bad = (fresh[w] = render(c, toks + i, k, form)) == NULL;
            i += k;
        }
        Words again = {0};
        int ra = bad ? -1 : segment_once_memo(c, fresh, nn, &again);
        if (ra > 0) {
            int ch2 = changes(c, fresh, &again);
            if (ch2 <= 0)
                ra = ch2 < 0 ? -1 : 0;
        }
        if (ra > 0) {
            /* merged: each word of the second reading over the words of the first it covers */
            Words merged = {0};
            Py_ssize_t idx = 0;
            for (Py_ssize_t w2 = 0; w2 < again.n && ra > 0; w2++) {
                Py_ssize_t k2 = again.w[w2].k, ksum = 0;
                Buf b;
                buf_init(&b);
                for (Py_ssize_t g = idx; g < idx + k2 && ra > 0; g++) {
                    ksum += words.w[g].k;
                    if (buf_str(&b, words.w[g].form) < 0)
                        ra = -1;
                }
                idx += k2;
                PyObject *joined = ra > 0 ? buf_done(&b) : NULL;
                if (joined == NULL) {
                    buf_free(&b);
                    ra = -1;
                    break;
                }
                PyObject *u = zwnj_union(joined, again.w[w2].form);
                Py_DECREF(joined);
                if (u == NULL || words_add(&merged, ksum, u) < 0)
                    ra = -1;
                Py_XDECREF(u);
            }
            if (ra > 0) {
                words_clear(&words);
                words = merged;
            }
            else {
                words_clear(&merged);
            }
        }
        words_clear(&again);
        for (Py_ssize_t w = 0; w < nn; w++)
            Py_XDECREF(fresh[w]);
        PyMem_Free(fresh);
        if (ra < 0) {
            r = -1;
            break;
        }
        if (ra == 0)
            break;  /* the second reading changes nothing more: the first one stands */
    }
    if (r > 0) {
        *out = words;
        return 1;
    }
    words_clear(&words);
    return r;
}

/* -------------------------------------------------------------------------------------------- */
/* The runs of iter_runs and the edits of Restorer._edits. */

typedef struct {
    Py_ssize_t *s, *e;
    Py_ssize_t n, cap;
} Spans;

static int
spans_add(Spans *sp, Py_ssize_t s, Py_ssize_t e)
{
    Py_ssize_t cap_s = sp->cap, cap_e = sp->cap;
    Py_ssize_t *a = grown(sp->s, &cap_s, sp->n, sizeof(Py_ssize_t), 64);
    if (a == NULL)
        return -1;
    sp->s = a;
    Py_ssize_t *b = grown(sp->e, &cap_e, sp->n, sizeof(Py_ssize_t), 64);
    if (b == NULL)
        return -1;
    sp->e = b;
    sp->cap = cap_s;
    sp->s[sp->n] = s;
    sp->e[sp->n] = e;
    sp->n++;
    return 0;
}

static void
spans_free(Spans *sp)
{
    PyMem_Free(sp->s);
    PyMem_Free(sp->e);
    sp->s = sp->e = NULL;
    sp->n = sp->cap = 0;
}

/* The edits of one run: its n tokens at text[ts[i]:te[i]]. */
static int
run_edits(const Ctx *c, PyObject *text, const Py_ssize_t *ts, const Py_ssize_t *te, Py_ssize_t n,
          PyObject *out)
{
    RunBufs b;
    if (runbufs_new(&b, n) < 0)
        return -1;
    PyObject **toks = b.toks;
    RunFacts rf;
    Words words = {0};
    int r = memo_run(c, text, ts, te, &b, n, &rf) < 0 || segment(c, toks, n, &rf, &words) < 0 ? -1 : 0;
    if (r == 0) {
        Py_ssize_t i = 0;
        for (Py_ssize_t w = 0; w < words.n && r == 0; w++) {
            Py_ssize_t k = words.w[w].k;
            PyObject *form = words.w[w].form;
            if (k > 1 || !str_eq(form, toks[i]))
                r = word_edits(c, toks + i, ts + i, k, form, out);
            i += k;
        }
    }
    words_clear(&words);
    runbufs_free(&b, n);
    return r;
}

static PyObject *
hs_edits(PyObject *self, PyObject *args)
{
    PyObject *ctx_tuple, *text, *protected;
    Ctx c;
    if (!PyArg_ParseTuple(args, "O!UO:edits", &PyTuple_Type, &ctx_tuple, &text, &protected))
        return NULL;
    if (ctx_load(&c, ctx_tuple) < 0)
        return NULL;
    c.memo = PyCapsule_GetPointer(c.memo_capsule, MEMO_CAPSULE);  /* (a ValueError for anything but memo()'s) */
    if (c.memo == NULL || (!c.memo->filtered && memo_filters(&c, c.memo) < 0))
        return NULL;
    /* protected spans, in text order and not overlapping (finditer's) */
    Spans prot = {0}, toks = {0};
    PyObject *out = NULL;
    if (protected != Py_None) {
        PyObject *seq = PySequence_Fast(protected, "protected: a sequence of (start, end)");
        if (seq == NULL)
            return NULL;
        for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++) {
            Py_ssize_t s, e;
            if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, i), "nn", &s, &e) || spans_add(&prot, s, e) < 0) {
                Py_DECREF(seq);
                goto error;
            }
            if (i && (s < prot.s[i - 1] || e < prot.e[i - 1])) {
                Py_DECREF(seq);
                PyErr_SetString(PyExc_ValueError, "protected spans must be in text order");
                goto error;
            }
        }
        Py_DECREF(seq);
    }
    out = PyList_New(0);
    if (out == NULL)
        goto error;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), pi = 0;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t i = 0;
    while (i < n) {
        if (!word_char(&c, PyUnicode_READ(kind, data, i))) {
            i++;
            continue;
        }
        /* a run: [C]+( [C]+)*, its tokens split at the spaces */
        Py_ssize_t start = i;
        toks.n = 0;
        for (;;) {
            Py_ssize_t t0 = i;
            while (i < n && word_char(&c, PyUnicode_READ(kind, data, i)))
                i++;
            if (spans_add(&toks, t0, i) < 0)
                goto error;
            if (i + 1 < n && PyUnicode_READ(kind, data, i) == ' ' && word_char(&c, PyUnicode_READ(kind, data, i + 1)))
                i++;
            else
                break;
        }
        Py_ssize_t end = i, first = 0, last = toks.n;
        if (start > 0 && glued(&c, PyUnicode_READ(kind, data, start - 1)))
            first = 1;
        if (first < last && end < n && glued(&c, PyUnicode_READ(kind, data, end)))
            last--;
        /* the tokens that touch no protected span, in runs of neighbours */
        Py_ssize_t from = first;
        for (Py_ssize_t t = first; t <= last; t++) {
            int cut = t == last;
            if (!cut && prot.n) {
                while (pi < prot.n && prot.e[pi] <= toks.s[t])
                    pi++;
                cut = pi < prot.n && prot.s[pi] < toks.e[t];
            }
            if (cut) {
                if (t > from && run_edits(&c, text, toks.s + from, toks.e + from, t - from, out) < 0)
                    goto error;
                from = t + 1;
            }
        }
    }
    spans_free(&prot);
    spans_free(&toks);
    return out;
error:
    Py_XDECREF(out);
    spans_free(&prot);
    spans_free(&toks);
    return NULL;
}

static PyMethodDef hs_methods[] = {
    {"edits", hs_edits, METH_VARARGS,
     "edits(ctx, text, protected) -> list of Edit\n\n"
     "The half-space edits of text, as Restorer.edits_py gives them (ctx: Restorer._accel_ctx())."},
    {"memo", hs_memo, METH_NOARGS, "memo() -> a new, empty memo for a restorer's ctx."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef hs_module = {
    PyModuleDef_HEAD_INIT, "_halfspace", "The run loops of khabar.text.halfspace.Restorer in C (optional).", -1,
    hs_methods,
};

PyMODINIT_FUNC
PyInit__halfspace(void)
{
    if (EMPTY == NULL) {
        EMPTY = PyUnicode_FromString("");
        NONE_STR = PyUnicode_FromString("None");
        ZWNJ_STR = PyUnicode_FromOrdinal(ZWNJ);
        if (EMPTY == NULL || NONE_STR == NULL || ZWNJ_STR == NULL)
            return NULL;
    }
    if (PyType_Ready(&TableType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&hs_module);
    /* the layout of ctx this build reads (Restorer._accel_ctx): a stale build is not used */
    if (m != NULL && (PyModule_AddIntConstant(m, "CTX_VERSION", 8) < 0
                      || PyModule_AddObjectRef(m, "Table", (PyObject *)&TableType) < 0))
        Py_CLEAR(m);
    return m;
}
