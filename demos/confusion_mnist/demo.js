// confusion_mnist: the confusion-matrix explorer on its data.json and sprite sheet.
import { mountConfusionDemos } from "../_shared/confusion.js";

mountConfusionDemos("confusion_mnist", "mnist_classes");
