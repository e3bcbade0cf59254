package org.rcptguard.james.webadmin;

import java.util.function.Supplier;

import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.ErrorResponder.ErrorType;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import spark.HaltException;

/** The errors RcptGuard's routes answer, written by James's {@link ErrorResponder}: status, type and message. */
final class RouteErrors {
    private static final Logger LOGGER = LoggerFactory.getLogger(RouteErrors.class);

    private RouteErrors() {
    }

    static HaltException badRequest(String message, Object... arguments) {
        return halt(HttpStatus.BAD_REQUEST_400, ErrorType.INVALID_ARGUMENT, message, arguments);
    }

    static HaltException notFound(String message, Object... arguments) {
        return halt(HttpStatus.NOT_FOUND_404, ErrorType.NOT_FOUND, message, arguments);
    }

    static HaltException conflict(String message, Object... arguments) {
        return halt(HttpStatus.CONFLICT_409, ErrorType.WRONG_STATE, message, arguments);
    }

    /** A call that reaches RcptGuard's store; its failure is a 500 saying so (the SMTP side defers meanwhile). */
    static <T> T storeCall(Supplier<T> call) {
        try {
            return call.get();
        } catch (HaltException e) {
            throw e;
        } catch (RuntimeException e) {
            LOGGER.warn("RcptGuard WebAdmin: store call failed", e);
            throw ErrorResponder.builder()
                .statusCode(HttpStatus.INTERNAL_SERVER_ERROR_500)
                .type(ErrorType.SERVER_ERROR)
                .message("RcptGuard store cannot be reached: %s", e.getMessage())
                .cause(e)
                .haltError();
        }
    }

    private static HaltException halt(int status, ErrorType type, String message, Object... arguments) {
        return ErrorResponder.builder()
            .statusCode(status)
            .type(type)
            .message(message, arguments)
            .haltError();
    }
}
