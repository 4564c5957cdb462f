// Small browser helpers for the dashboard: the digit canvas. Charts are Plotly.Blazor's.
window.backpropDashboard = {
    // Lets the user draw with mouse or touch; strokes are thick white on black like MNIST digits.
    initDigitCanvas(canvas) {
        const context = canvas.getContext("2d");
        context.fillStyle = "#000";
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.strokeStyle = "#fff";
        context.lineWidth = canvas.width / 12;
        context.lineCap = "round";
        context.lineJoin = "round";
        let drawing = false;
        const point = e => {
            const r = canvas.getBoundingClientRect();
            return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height];
        };
        canvas.addEventListener("pointerdown", e => {
            drawing = true;
            canvas.setPointerCapture(e.pointerId);
            const [x, y] = point(e);
            context.beginPath();
            context.moveTo(x, y);
            context.lineTo(x + 0.01, y);
            context.stroke();
        });
        canvas.addEventListener("pointermove", e => {
            if (!drawing) return;
            const [x, y] = point(e);
            context.lineTo(x, y);
            context.stroke();
        });
        const stop = () => { drawing = false; };
        canvas.addEventListener("pointerup", stop);
        canvas.addEventListener("pointercancel", stop);
    },

    clearDigitCanvas(canvas) {
        const context = canvas.getContext("2d");
        context.fillStyle = "#000";
        context.fillRect(0, 0, canvas.width, canvas.height);
    },

    // The drawing as 28×28 values in [0, 1]: its bounding box scaled into a 20×20 box, centred in the 28×28 image.
    readDigitCanvas(canvas) {
        const source = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
        let minX = canvas.width, minY = canvas.height, maxX = -1, maxY = -1;
        for (let y = 0; y < canvas.height; y++)
            for (let x = 0; x < canvas.width; x++)
                if (source[(y * canvas.width + x) * 4] > 20) {
                    minX = Math.min(minX, x); maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y); maxY = Math.max(maxY, y);
                }
        const out = new Array(784).fill(0);
        if (maxX < 0) return out;
        const box = Math.max(maxX - minX + 1, maxY - minY + 1);
        const scaled = document.createElement("canvas");
        scaled.width = 28; scaled.height = 28;
        const s = scaled.getContext("2d");
        s.fillStyle = "#000"; s.fillRect(0, 0, 28, 28);
        s.imageSmoothingEnabled = true;
        const w = 20 * (maxX - minX + 1) / box, h = 20 * (maxY - minY + 1) / box;
        s.drawImage(canvas, minX, minY, maxX - minX + 1, maxY - minY + 1, (28 - w) / 2, (28 - h) / 2, w, h);
        const pixels = s.getImageData(0, 0, 28, 28).data;
        for (let i = 0; i < 784; i++) out[i] = pixels[i * 4] / 255;
        return out;
    },

    // Paints a grey-scale image (values in [0, 1]) onto a canvas.
    drawImage(canvas, values, width) {
        const height = values.length / width;
        canvas.width = width; canvas.height = height;
        const context = canvas.getContext("2d");
        const image = context.createImageData(width, height);
        for (let i = 0; i < values.length; i++) {
            const v = Math.max(0, Math.min(255, Math.round(values[i] * 255)));
            image.data[i * 4] = image.data[i * 4 + 1] = image.data[i * 4 + 2] = v;
            image.data[i * 4 + 3] = 255;
        }
        context.putImageData(image, 0, 0);
    }
};
