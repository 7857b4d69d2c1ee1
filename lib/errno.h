/*
 * Error numbers used across the kernel. Functions that can fail return 0 or
 * one of these negated. The values are Linux's, which are also the ones Xen
 * returns from hypercalls (xen/errno.h), so a hypercall's error can be passed
 * up unchanged and compared against these names.
 */
#ifndef LIB_ERRNO_H
#define LIB_ERRNO_H

#define EPERM        1
#define ENOENT       2
#define EIO          5
#define E2BIG        7
#define EAGAIN       11
#define ENOMEM       12
#define EACCES       13
#define EFAULT       14
#define EBUSY        16
#define EEXIST       17
#define ENODEV       19
#define EISDIR       21
#define EINVAL       22
#define ENOSPC       28
#define EROFS        30
#define EPIPE        32
#define ERANGE       34
#define ENOSYS       38
#define ENOTEMPTY    39
#define EBADMSG      74
#define EOVERFLOW    75
#define ENOTSUP      95
#define ECONNABORTED 103
#define ECONNRESET   104
#define EISCONN      106
#define ENOTCONN     107
#define ETIMEDOUT    110

/* The symbolic name of err ("EINVAL"), for err or -err; "E?" if unknown. */
const char *errno_name(int err);

#endif
