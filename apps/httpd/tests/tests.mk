# Host tests of apps/httpd/ (tests/unit.mk and tests/fuzz.mk build and run them): the
# request parser, as unit tests and as a fuzz target; a connection's requests and
# responses with bytes moved by hand; the deadlines of a connection's phases; and the
# whole server, socket loop included, built against the host's sockets and driven
# over localhost.
HTTPD_SESSION_SRCS := apps/httpd/session.c apps/httpd/http_request.c \
	apps/httpd/http_response.c apps/httpd/status_page.c apps/httpd/tests/host_status.c \
	lib/sha256.c lib/vsnprintf.c lib/string.c lib/errno.c

UNIT_TESTS += apps/httpd/tests/test_http_request
apps/httpd/tests/test_http_request_srcs := apps/httpd/tests/test_http_request.c \
	apps/httpd/http_request.c lib/string.c

FUZZ_TARGETS += apps/httpd/tests/fuzz_http_request
apps/httpd/tests/fuzz_http_request_srcs := apps/httpd/tests/fuzz_http_request.c \
	apps/httpd/http_request.c lib/string.c
apps/httpd/tests/fuzz_http_request_corpus := apps/httpd/tests/corpus/http_request
# A head a little over HTTP_HEAD_MAX, so that the limits are reached.
apps/httpd/tests/fuzz_http_request_max_len := 9000

UNIT_TESTS += apps/httpd/tests/test_session
apps/httpd/tests/test_session_srcs := apps/httpd/tests/test_session.c $(HTTPD_SESSION_SRCS) \
	apps/httpd/server.c apps/httpd/deadline.c

UNIT_TESTS += apps/httpd/tests/test_deadline
apps/httpd/tests/test_deadline_srcs := apps/httpd/tests/test_deadline.c apps/httpd/deadline.c

UNIT_TESTS += apps/httpd/tests/test_server
apps/httpd/tests/test_server_srcs := apps/httpd/tests/test_server.c $(HTTPD_SESSION_SRCS) \
	apps/httpd/server.c apps/httpd/deadline.c
# The socket loop's host build: the C library's sockets in place of lwIP's.
$(HOST_DIR)/apps/httpd/server.o: HOST_RENAMED_CFLAGS += -DHTTPD_HOST_SOCKETS
