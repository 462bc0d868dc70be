package org.cllmlab.reports;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The whole {@link ReportModel} as JSON, for other tools. Undefined figures are {@code null}; numbers are
 * rounded to 10 significant digits so that the file is stable across JDKs whose last-bit floating point may
 * differ.
 */
public final class JsonReporter implements Reporter {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .registerModule(new SimpleModule().addSerializer(Double.class, new Rounded()).addSerializer(double.class, new Rounded()));

    @Override
    public String render(ReportModel model) {
        try {
            return MAPPER.writeValueAsString(model) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Rounded extends JsonSerializer<Double> {
        @Override
        public void serialize(Double v, JsonGenerator gen, SerializerProvider p) throws IOException {
            if (v == null || v.isNaN() || v.isInfinite()) {
                gen.writeNull();
            } else {
                gen.writeNumber(new BigDecimal(v).round(new MathContext(10)).stripTrailingZeros().toPlainString());
            }
        }
    }
}
